import SQLite
import XCTest

final class ErrorTests: XCTestCase {
    private func makeSchema() throws -> Connection {
        let db = try makeConnection()
        try db.execute("""
            CREATE TABLE parent (id INTEGER PRIMARY KEY);
            CREATE TABLE child (
                id INTEGER PRIMARY KEY,
                parent_id INTEGER NOT NULL REFERENCES parent(id),
                code TEXT UNIQUE,
                quantity INTEGER CHECK (quantity >= 0)
            );
            INSERT INTO parent (id) VALUES (1);
            INSERT INTO child (id, parent_id, code, quantity) VALUES (1, 1, 'taken', 1);
            """)
        return db
    }

    func testConstraintViolationsCarryCodesMessageAndSQL() throws {
        let db = try makeSchema()
        let insert = "INSERT INTO child (id, parent_id, code, quantity) VALUES (?, ?, ?, ?)"
        let cases: [(label: String, arguments: [any SQLiteBindable], extendedCode: Int32, message: String)] = [
            ("unique", [2, 1, "taken", 1], 2067, "UNIQUE constraint failed: child.code"),
            ("primary key", [1, 1, "fresh", 1], 1555, "UNIQUE constraint failed: child.id"),
            ("foreign key", [2, 99, "fresh", 1], 787, "FOREIGN KEY constraint failed"),
            ("check", [2, 1, "fresh", -1], 275, "CHECK constraint failed"),
            ("not null", [2, Int?.none, "fresh", 1], 1299, "NOT NULL constraint failed: child.parent_id"),
        ]
        for testCase in cases {
            let error = try XCTUnwrap(expectSQLiteError { try db.run(insert, testCase.arguments) }, testCase.label)
            XCTAssertEqual(error.code, 19, testCase.label)
            XCTAssertEqual(error.extendedCode, testCase.extendedCode, testCase.label)
            XCTAssertTrue(error.message.contains(testCase.message), "\(testCase.label): \(error.message)")
            XCTAssertEqual(error.sql, insert, testCase.label)
            XCTAssertTrue(error.isConstraintViolation, testCase.label)
            XCTAssertEqual(error.isUniqueViolation, ["unique", "primary key"].contains(testCase.label), testCase.label)
            XCTAssertEqual(error.isForeignKeyViolation, testCase.label == "foreign key", testCase.label)
            XCTAssertEqual(error.isCheckViolation, testCase.label == "check", testCase.label)
            XCTAssertEqual(error.isNotNullViolation, testCase.label == "not null", testCase.label)
            XCTAssertFalse(error.isBusy, testCase.label)
            XCTAssertTrue(error.description.contains(insert), testCase.label)
        }
        XCTAssertEqual(try db.queryOne("SELECT count(*) FROM child")?[0], .integer(1), "no failed insert left a row")
    }

    func testSyntaxErrorInScriptNamesTheFailingPart() throws {
        let db = try makeConnection()
        let error = try XCTUnwrap(expectSQLiteError {
            try db.execute("CREATE TABLE fine (x); SELEKT 1;")
        })
        XCTAssertEqual(error.code, 1)
        XCTAssertTrue(error.message.contains("syntax error"), error.message)
        XCTAssertEqual(error.sql, "SELEKT 1;")
        XCTAssertNotNil(try db.queryOne("SELECT name FROM sqlite_master WHERE name = 'fine'"),
                        "statements before the failing one ran")
    }

    func testWrongArgumentCountIsRefused() throws {
        let db = try makeConnection()
        let error = try XCTUnwrap(expectSQLiteError { _ = try db.query("SELECT ?, ?", [1]) })
        XCTAssertEqual(error.code, 21, "SQLITE_MISUSE")
        XCTAssertEqual(error.sql, "SELECT ?, ?")
        XCTAssertTrue(error.message.contains("expected 2 arguments, got 1"), error.message)
    }

    func testSingleStatementAPIsRefuseScripts() throws {
        let db = try makeConnection()
        try db.execute("CREATE TABLE t (x)")
        let error = try XCTUnwrap(expectSQLiteError { try db.run("INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)") })
        XCTAssertEqual(error.code, 21)
        XCTAssertEqual(try db.queryOne("SELECT count(*) FROM t")?[0], .integer(0), "nothing ran")
        // A trailing comment is not a second statement.
        try db.run("INSERT INTO t VALUES (1); -- done")
        XCTAssertEqual(try db.queryOne("SELECT count(*) FROM t")?[0], .integer(1))
    }

    func testClosedConnectionThrows() throws {
        let db = try makeConnection()
        db.close()
        db.close()
        let error = try XCTUnwrap(expectSQLiteError { _ = try db.query("SELECT 1") })
        XCTAssertEqual(error.code, 21)
        XCTAssertTrue(error.message.contains("closed"), error.message)
    }

    func testOpeningAMissingFileReadOnlyFails() throws {
        let path = try makeTemporaryDirectory() + "/absent.sqlite"
        let error = try XCTUnwrap(expectSQLiteError { _ = try Connection(path: path, readOnly: true) })
        XCTAssertEqual(error.code, 14, "SQLITE_CANTOPEN")
        XCTAssertTrue(error.message.contains(path), error.message)
    }

    /// Faults of the storage (retrying later may succeed) against faults of
    /// the statement or the data (it never will).
    func testStorageFaultsAreToldApartFromStatementErrors() {
        let cases: [(extendedCode: Int32, fault: String?)] = [
            (13, "the disk is full"),                       // SQLITE_FULL
            (8, "the database is read-only"),               // SQLITE_READONLY
            (8 | (3 << 8), "the database is read-only"),    // SQLITE_READONLY_ROLLBACK
            (10, "the disk reported an I/O error"),         // SQLITE_IOERR
            (10 | (4 << 8), "the disk reported an I/O error"), // SQLITE_IOERR_FSYNC
            (14, "the database file cannot be opened"),     // SQLITE_CANTOPEN
            (5, "the database is locked by another process"), // SQLITE_BUSY
            (6, "the database is locked by another process"), // SQLITE_LOCKED
            (7, "SQLite ran out of memory"),                // SQLITE_NOMEM
            (1, nil),                                       // SQLITE_ERROR (syntax, missing table)
            (2067, nil),                                    // SQLITE_CONSTRAINT_UNIQUE
            (21, nil),                                      // SQLITE_MISUSE
            (11, nil),                                      // SQLITE_CORRUPT: retrying will not help
        ]
        for (code, fault) in cases {
            XCTAssertEqual(SQLiteError(extendedCode: code, message: "m").storageFault, fault, "extended code \(code)")
        }
        XCTAssertEqual(SQLiteError.transactionRolledBack(after: nil).code, 4, "SQLITE_ABORT when the cause is unknown")
        XCTAssertEqual(SQLiteError.transactionRolledBack(after: SQLiteError(extendedCode: 13, message: "full")).code, 13)
    }
}
