import SQLite
import XCTest

final class StatementTests: XCTestCase {
    private func makeTable() throws -> Connection {
        let db = try makeConnection()
        try db.execute("""
            CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);
            INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three');
            """)
        return db
    }

    func testColumnNamesAreFoundInAnyCaseLeftmostFirst() throws {
        let db = try makeConnection()
        let row = try XCTUnwrap(try db.queryOne("SELECT 1 AS b, 2 AS A, 3 AS a, 4 AS \"É\""))
        let cases: [(name: String, index: Int?)] = [("A", 1), ("a", 1), ("b", 0), ("B", 0), ("É", 3), ("é", 3), ("c", nil)]
        for (name, index) in cases {
            XCTAssertEqual(row.columnIndex(name), index, name)
            XCTAssertEqual(row[name], index.map { row[$0] } ?? .null, name)
        }
    }

    func testSameSQLTwiceGivesIndependentResults() throws {
        let db = try makeTable()
        let sql = "SELECT name FROM t WHERE id >= ? ORDER BY id"
        XCTAssertEqual(try db.query(sql, [2]).compactMap { $0.string("name") }, ["two", "three"])
        XCTAssertEqual(try db.query(sql, [1]).compactMap { $0.string("name") }, ["one", "two", "three"])
        XCTAssertEqual(try db.queryOne(sql, [3])?.string("name"), "three")
        // queryOne stopped after one row; the next use starts from the top again.
        XCTAssertEqual(try db.queryOne(sql, [1])?.string("name"), "one")
        XCTAssertNil(try db.queryOne(sql, [4]))
    }

    func testCachedStatementIsReusedResetAndClearedOfBindings() throws {
        let db = try makeTable()
        let first = try db.cachedStatement("SELECT ?")
        try first.bind([5])
        XCTAssertTrue(try first.step())
        XCTAssertEqual(first.value(at: 0), .integer(5))

        let second = try db.cachedStatement("SELECT ?")
        XCTAssertTrue(first === second, "the same SQL gives the cached statement")
        XCTAssertTrue(try second.step(), "it was reset: the row is produced again")
        XCTAssertEqual(second.value(at: 0), .null, "its bindings were cleared")
        XCTAssertFalse(try db.cachedStatement("SELECT ?;") === first, "keyed by the exact SQL text")
    }

    func testNestedIterationOverTheSameSQL() throws {
        let db = try makeTable()
        let sql = "SELECT id FROM t ORDER BY id"
        var pairs: [String] = []
        try db.forEachRow(sql) { outer in
            try db.forEachRow(sql) { inner in
                pairs.append("\(outer.int("id")!)\(inner.int("id")!)")
                if pairs.count > 9 { throw Boom() }  // a disturbed outer iteration would never end
            }
        }
        XCTAssertEqual(pairs, ["11", "12", "13", "21", "22", "23", "31", "32", "33"])
    }

    func testForEachRowStopsOnThrow() throws {
        let db = try makeTable()
        var seen: [Int64] = []
        XCTAssertThrowsError(try db.forEachRow("SELECT id FROM t ORDER BY id") { row in
            seen.append(row.int("id")!)
            if seen.count == 2 { throw Boom() }
        }) { XCTAssertEqual($0 as? Boom, Boom()) }
        XCTAssertEqual(seen, [1, 2])
    }

    func testPreparedStatementAPI() throws {
        let db = try makeTable()
        let statement = try db.prepare("SELECT id, name AS label FROM t WHERE id = ?1 OR name = ?2 ORDER BY id")
        XCTAssertEqual(statement.parameterCount, 2)
        XCTAssertEqual(statement.columnCount, 2)
        XCTAssertEqual(statement.columnNames, ["id", "label"])
        XCTAssertEqual(statement.columnName(1), "label")
        try statement.bind(1, at: 1)
        try statement.bind("three", at: 2)
        var ids: [SQLiteValue] = []
        while try statement.step() { ids.append(statement.row["id"]) }
        XCTAssertEqual(ids, [.integer(1), .integer(3)])

        statement.reset()
        XCTAssertTrue(try statement.step(), "reset keeps the bindings")
        XCTAssertEqual(statement.row[1], .text("one"))
        statement.reset()
        statement.clearBindings()
        XCTAssertFalse(try statement.step(), "with cleared bindings nothing matches")
    }

    func testBindingAnOutOfRangeIndexFails() throws {
        let db = try makeConnection()
        let statement = try db.prepare("SELECT ?")
        let error = try XCTUnwrap(expectSQLiteError { try statement.bind(1, at: 2) })
        XCTAssertEqual(error.code, 25, "SQLITE_RANGE")
        XCTAssertEqual(error.sql, "SELECT ?")
    }
}
