import SQLite
import XCTest

final class TransactionTests: XCTestCase {
    private func makeTable() throws -> Connection {
        let db = try makeConnection()
        try db.execute("CREATE TABLE t (x INTEGER)")
        return db
    }

    private func values(_ db: Connection) throws -> [Int64] {
        try db.query("SELECT x FROM t ORDER BY x").compactMap { $0.int("x") }
    }

    func testCommitKeepsWorkAndReturnsTheResult() throws {
        let db = try makeTable()
        let result = try db.transaction {
            try db.run("INSERT INTO t VALUES (1)")
            return db.lastInsertRowID
        }
        XCTAssertEqual(result, 1)
        XCTAssertEqual(try values(db), [1])
        XCTAssertFalse(db.isInTransaction)
    }

    func testThrowRollsBackEverythingAndRethrows() throws {
        let db = try makeTable()
        XCTAssertThrowsError(try db.transaction {
            try db.run("INSERT INTO t VALUES (1)")
            try db.run("INSERT INTO t VALUES (2)")
            XCTAssertTrue(db.isInTransaction)
            throw Boom()
        }) { XCTAssertEqual($0 as? Boom, Boom()) }
        XCTAssertEqual(try values(db), [])
        XCTAssertFalse(db.isInTransaction)
        // The connection is usable for the next transaction.
        try db.transaction(.deferred) { try db.run("INSERT INTO t VALUES (3)") }
        XCTAssertEqual(try values(db), [3])
    }

    func testTransactionsDoNotNest() throws {
        let db = try makeTable()
        try db.transaction {
            try db.run("INSERT INTO t VALUES (1)")
            let error = try XCTUnwrap(expectSQLiteError { try db.transaction(.exclusive) {} })
            XCTAssertTrue(error.message.contains("within a transaction"), error.message)
        }
        XCTAssertEqual(try values(db), [1], "the failed inner BEGIN did not roll back the outer transaction")
    }

    func testSavepointRollsBackAloneInsideTransaction() throws {
        let db = try makeTable()
        try db.transaction {
            try db.run("INSERT INTO t VALUES (1)")
            XCTAssertThrowsError(try db.savepoint {
                try db.run("INSERT INTO t VALUES (2)")
                throw Boom()
            })
            XCTAssertTrue(db.isInTransaction, "the outer transaction is still open")
            try db.run("INSERT INTO t VALUES (3)")
        }
        XCTAssertEqual(try values(db), [1, 3])
    }

    func testNestedSavepoints() throws {
        let db = try makeTable()
        try db.transaction {
            try db.savepoint {
                try db.run("INSERT INTO t VALUES (1)")
                // The innermost fails alone; its parent carries on.
                XCTAssertThrowsError(try db.savepoint {
                    try db.run("INSERT INTO t VALUES (2)")
                    try db.savepoint { try db.run("INSERT INTO t VALUES (3)") }
                    throw Boom()
                })
                try db.savepoint {
                    try db.run("INSERT INTO t VALUES (4)")
                    try db.savepoint { try db.run("INSERT INTO t VALUES (5)") }
                }
            }
        }
        // 2 and 3 went with their failing savepoint, including 3's already released one.
        XCTAssertEqual(try values(db), [1, 4, 5])
    }

    func testSavepointOutsideTransactionCommitsOrRollsBack() throws {
        let db = try makeTable()
        try db.savepoint { try db.run("INSERT INTO t VALUES (1)") }
        XCTAssertFalse(db.isInTransaction, "releasing the outermost savepoint commits")
        XCTAssertThrowsError(try db.savepoint {
            try db.run("INSERT INTO t VALUES (2)")
            throw Boom()
        })
        XCTAssertFalse(db.isInTransaction)
        XCTAssertEqual(try values(db), [1])
    }

    func testFailedCommitRollsBack() throws {
        let db = try makeTable()
        try db.execute("""
            CREATE TABLE parent (id INTEGER PRIMARY KEY);
            CREATE TABLE child (parent_id INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);
            """)
        let error = try XCTUnwrap(expectSQLiteError {
            try db.transaction {
                try db.run("INSERT INTO child VALUES (42)")  // checked only at COMMIT
                try db.run("INSERT INTO t VALUES (1)")
            }
        })
        XCTAssertTrue(error.isForeignKeyViolation)
        XCTAssertEqual(error.sql, "COMMIT")
        XCTAssertFalse(db.isInTransaction)
        XCTAssertEqual(try values(db), [])
    }

    func testChangesCountsAffectedRows() throws {
        let db = try makeTable()
        try db.execute("INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); INSERT INTO t VALUES (3);")
        try db.run("UPDATE t SET x = x + 10 WHERE x >= ?", [2])
        XCTAssertEqual(db.changes, 2)
    }
}
