import Foundation
import SQLite
import XCTest

final class MigratorTests: XCTestCase {
    private func write(_ contents: String, to fileName: String, in directory: String) throws {
        try Data(contents.utf8).write(to: URL(fileURLWithPath: directory).appendingPathComponent(fileName))
    }

    private func tableExists(_ name: String, _ db: Connection) throws -> Bool {
        try db.queryOne("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]) != nil
    }

    private func appliedVersions(_ db: Connection) throws -> [Int64] {
        try db.query("SELECT version FROM schema_migrations ORDER BY version").compactMap { $0.int("version") }
    }

    /// A directory holding 0002 (which needs 0001's table) written before 0001.
    private func makeTwoMigrations() throws -> String {
        let directory = try makeTemporaryDirectory()
        try write("INSERT INTO first (x) VALUES (2);\nCREATE TABLE second (y TEXT);\n", to: "0002_second.sql", in: directory)
        try write("CREATE TABLE first (x INTEGER NOT NULL);\nINSERT INTO first (x) VALUES (1);\n", to: "0001_first.sql", in: directory)
        try write("not a migration", to: "README.md", in: directory)
        return directory
    }

    func testAppliesInNumericOrderAndRecordsChecksums() throws {
        let directory = try makeTwoMigrations()
        let migrator = try Migrator(directory: directory)
        XCTAssertEqual(migrator.migrations.map(\.fileName), ["0001_first.sql", "0002_second.sql"])
        XCTAssertEqual(migrator.migrations.map(\.name), ["first", "second"])

        let db = try makeConnection()
        let applied = try migrator.migrate(db)
        XCTAssertEqual(applied.map(\.version), [1, 2])
        XCTAssertEqual(try db.query("SELECT x FROM first ORDER BY rowid").compactMap { $0.int("x") }, [1, 2],
                       "0001 ran before 0002")
        XCTAssertTrue(try tableExists("second", db))

        let records = try db.query("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version")
        XCTAssertEqual(records.compactMap { $0.int("version") }, [1, 2])
        XCTAssertEqual(records.compactMap { $0.string("name") }, ["first", "second"])
        XCTAssertEqual(records.compactMap { $0.string("checksum") }, migrator.migrations.map(\.checksum))
        for record in records {
            XCTAssertEqual(record.string("checksum")?.count, 16)
            XCTAssertTrue(record.string("applied_at")?.hasSuffix("Z") ?? false)
        }
    }

    func testSecondRunAppliesNothing() throws {
        let directory = try makeTwoMigrations()
        let db = try makeConnection()
        XCTAssertEqual(try Migrator(directory: directory).migrate(db).count, 2)
        XCTAssertEqual(try Migrator(directory: directory).migrate(db).count, 0)
        XCTAssertEqual(try db.queryOne("SELECT count(*) FROM first")?[0], .integer(2), "nothing ran twice")
        XCTAssertEqual(try appliedVersions(db), [1, 2])
    }

    func testChangedAppliedFileIsRefusedBeforeAnythingIsApplied() throws {
        let directory = try makeTwoMigrations()
        let db = try makeConnection()
        try Migrator(directory: directory).migrate(db)

        try write("CREATE TABLE first (x INTEGER);\n", to: "0001_first.sql", in: directory)
        try write("CREATE TABLE third (z);\n", to: "0003_third.sql", in: directory)
        XCTAssertThrowsError(try Migrator(directory: directory).migrate(db)) { error in
            guard case MigrationError.checksumMismatch(let fileName, _, _) = error else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(fileName, "0001_first.sql")
            XCTAssertTrue("\(error)".contains("0001_first.sql"))
        }
        XCTAssertFalse(try tableExists("third", db))
        XCTAssertEqual(try appliedVersions(db), [1, 2])
    }

    func testFailingMigrationRollsBackCompletely() throws {
        let directory = try makeTwoMigrations()
        try write("CREATE TABLE doomed (x);\nINSERT INTO first (x) VALUES (3);\nCREATE TABLE broken (;\n",
                  to: "0003_broken.sql", in: directory)
        let db = try makeConnection()
        XCTAssertThrowsError(try Migrator(directory: directory).migrate(db)) { error in
            guard case MigrationError.failed(let fileName, let underlying) = error else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(fileName, "0003_broken.sql")
            XCTAssertTrue(underlying.message.contains("syntax error"), underlying.message)
            XCTAssertTrue("\(error)".contains("0003_broken.sql"))
            XCTAssertTrue("\(error)".contains("syntax error"))
        }
        XCTAssertFalse(db.isInTransaction)
        XCTAssertFalse(try tableExists("doomed", db), "the failing file's table is gone")
        XCTAssertEqual(try db.queryOne("SELECT count(*) FROM first")?[0], .integer(2), "its insert is gone")
        XCTAssertEqual(try appliedVersions(db), [1, 2], "earlier migrations stay applied; no record for 0003")

        // Once fixed, the migration applies.
        try write("CREATE TABLE doomed (x);\n", to: "0003_broken.sql", in: directory)
        XCTAssertEqual(try Migrator(directory: directory).migrate(db).map(\.version), [3])
        XCTAssertTrue(try tableExists("doomed", db))
    }

    func testBadFileNamesAreRefused() throws {
        for fileName in ["001_short.sql", "0001-dash.sql", "0001_.sql", "abcd_name.sql", "0001_name.SQL",
                         "0001_has space.sql", "_0001_x.sql", "00a1_x.sql"] {
            let directory = try makeTemporaryDirectory()
            try write("SELECT 1;", to: "0002_good.sql", in: directory)
            try write("SELECT 1;", to: fileName, in: directory)
            XCTAssertThrowsError(try Migrator(directory: directory), fileName) { error in
                guard case MigrationError.badFileName(let reported) = error else {
                    return XCTFail("\(fileName): unexpected \(error)")
                }
                XCTAssertEqual(reported, fileName)
            }
        }
    }

    func testGoodFileNamesAreAccepted() throws {
        let directory = try makeTemporaryDirectory()
        for fileName in ["0001_a.sql", "00010_more-digits_and-dashes.sql", "0002_Mixed_Case_9.sql"] {
            try write("SELECT 1;", to: fileName, in: directory)
        }
        XCTAssertEqual(try Migrator(directory: directory).migrations.map(\.version), [1, 2, 10])
    }

    func testDuplicateVersionsAreRefused() throws {
        let directory = try makeTemporaryDirectory()
        try write("SELECT 1;", to: "0001_a.sql", in: directory)
        try write("SELECT 1;", to: "00001_b.sql", in: directory)
        XCTAssertThrowsError(try Migrator(directory: directory)) { error in
            guard case MigrationError.duplicateVersion(let version, let fileNames) = error else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(version, 1)
            XCTAssertEqual(fileNames, ["00001_b.sql", "0001_a.sql"])
        }
        let inMemory = Migrator(migrations: [Migration(version: 4, name: "a", sql: ""), Migration(version: 4, name: "b", sql: "")])
        XCTAssertThrowsError(try inMemory.migrate(try makeConnection()))
    }

    func testAppliedMigrationWithoutFileIsRefused() throws {
        let directory = try makeTwoMigrations()
        let db = try makeConnection()
        try Migrator(directory: directory).migrate(db)
        let older = Migrator(migrations: try Migrator(directory: directory).migrations.filter { $0.version == 1 })
        XCTAssertThrowsError(try older.migrate(db)) { error in
            guard case MigrationError.missingFile(let version, let name) = error else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(version, 2)
            XCTAssertEqual(name, "second")
        }
    }

    func testMissingDirectoryIsReported() throws {
        let path = try makeTemporaryDirectory() + "/absent"
        XCTAssertThrowsError(try Migrator(directory: path)) { error in
            guard case MigrationError.unreadable(let reported, _) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(reported, path)
        }
    }

    func testInMemoryMigrationsAreSortedAndNamed() throws {
        let migrator = Migrator(migrations: [
            Migration(version: 2, name: "two", sql: "CREATE TABLE b (x REFERENCES a(x));"),
            Migration(version: 1, name: "one", sql: "CREATE TABLE a (x PRIMARY KEY);"),
        ])
        XCTAssertEqual(migrator.migrations.map(\.fileName), ["0001_one.sql", "0002_two.sql"])
        XCTAssertEqual(try migrator.migrate(try makeConnection()).map(\.version), [1, 2])
    }

    func testChecksumIsFNV1a64OfTheBytes() {
        // Published FNV-1a 64-bit test vectors.
        let vectors = ["": "cbf29ce484222325", "a": "af63dc4c8601ec8c", "foobar": "85944171f73967e8"]
        for (text, digest) in vectors {
            XCTAssertEqual(Migration(version: 1, name: "x", sql: text).checksum, digest, text)
        }
    }
}
