import Foundation
import SQLite
import XCTest

final class DatabasePoolTests: XCTestCase {
    private func makePool(_ configuration: Configuration = .init()) throws -> DatabasePool {
        let pool = try DatabasePool(path: try makeDatabasePath(), configuration: configuration)
        addTeardownBlock { pool.close() }
        try pool.withWriter { db in
            try db.execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);")
        }
        return pool
    }

    private func pragma(_ name: String, _ db: Connection) throws -> SQLiteValue? {
        try db.queryOne("PRAGMA \(name)")?[0]
    }

    func testCloseFoldsTheWALBackAndRemovesIt() throws {
        let path = try makeDatabasePath()
        let pool = try DatabasePool(path: path)
        try pool.withWriter { try $0.execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2);") }
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-wal"))
        XCTAssertNil(pool.close(), "the checkpoint succeeds")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-wal"), "no WAL left after a clean close")
        XCTAssertNil(pool.close(), "closing twice is harmless")
        let reopened = try DatabasePool(path: path)
        defer { reopened.close() }
        XCTAssertEqual(try reopened.withReader { try $0.queryOne("SELECT count(*) FROM t")?[0] }, .integer(2))
    }

    func testSettingsApplyToEveryConnection() throws {
        let pool = try makePool()
        try pool.withWriter { db in
            XCTAssertEqual(try pragma("journal_mode", db), .text("wal"))
            XCTAssertEqual(try pragma("foreign_keys", db), .integer(1))
            XCTAssertEqual(try pragma("synchronous", db), .integer(2), "FULL by default")
            XCTAssertEqual(try pragma("busy_timeout", db), .integer(5000))
            XCTAssertEqual(try pragma("temp_store", db), .integer(2), "MEMORY")
        }
        try pool.withReader { db in
            XCTAssertTrue(db.isReadOnly)
            XCTAssertEqual(try pragma("journal_mode", db), .text("wal"))
            XCTAssertEqual(try pragma("foreign_keys", db), .integer(1))
            XCTAssertEqual(try pragma("synchronous", db), .integer(2))
            XCTAssertEqual(try pragma("busy_timeout", db), .integer(5000))
            XCTAssertEqual(try pragma("temp_store", db), .integer(2), "MEMORY")
        }
    }

    func testConfigurationIsHonoured() throws {
        let synchronous = try XCTUnwrap(Configuration.Synchronous(rawValue: "normal"))
        let pool = try makePool(Configuration(busyTimeout: .milliseconds(250), synchronous: synchronous, foreignKeys: false))
        let check = { (db: Connection) in
            XCTAssertEqual(try self.pragma("synchronous", db), .integer(1))
            XCTAssertEqual(try self.pragma("foreign_keys", db), .integer(0))
            XCTAssertEqual(try self.pragma("busy_timeout", db), .integer(250))
        }
        try pool.withWriter(check)
        try pool.withReader(check)
    }

    /// 1,200 commits of a 1 KiB row each, then waits up to `seconds` for
    /// the database file (not the WAL) to reach `bytes`: only a checkpoint copies pages there.
    private func databaseFileGrows(_ configuration: Configuration, to bytes: Int, within seconds: Double) throws -> Bool {
        let path = try makeDatabasePath()
        let pool = try DatabasePool(path: path, configuration: configuration)
        defer { pool.close() }
        try pool.withWriter { try $0.execute("CREATE TABLE blobs (b BLOB)") }
        for _ in 0..<1_200 {
            try pool.withWriter { try $0.run("INSERT INTO blobs VALUES (zeroblob(1024))") }
        }
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            if size >= bytes { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    func testTheCheckpointerCopiesTheWALBackWhileThePoolIsOpen() throws {
        XCTAssertTrue(try databaseFileGrows(Configuration(synchronous: .off, checkpointFrames: 64), to: 300 * 1024, within: 10))
    }

    func testNoCommitCheckpointsByItselfWhenTheCheckpointerIsOff() throws {
        // The WAL hook replaces SQLite's automatic checkpoint (at 1,000 frames): 1,200
        // commits of a frame or more each would have run it, and the file would have grown.
        XCTAssertFalse(try databaseFileGrows(Configuration(synchronous: .off, checkpointFrames: 0), to: 300 * 1024, within: 1))
    }

    func testReadersCannotWrite() throws {
        let pool = try makePool()
        let error = try XCTUnwrap(expectSQLiteError { try pool.withReader { try $0.run("INSERT INTO t VALUES (2)") } })
        XCTAssertEqual(error.code, 8, "SQLITE_READONLY")
    }

    func testReadDuringLongWriteSeesCommittedSnapshotWithoutWaiting() throws {
        let pool = try makePool()
        let writeStarted = DispatchSemaphore(value: 0)
        let finishWrite = DispatchSemaphore(value: 0)
        let writerDone = DispatchSemaphore(value: 0)
        let writerError = Locked<String?>(nil)
        Thread.detachNewThread {
            do {
                try pool.withWriter { db in
                    try db.transaction {
                        try db.run("INSERT INTO t VALUES (2)")
                        writeStarted.signal()
                        finishWrite.wait()
                    }
                }
            } catch {
                writerError.withLock { $0 = "\(error)" }
            }
            writerDone.signal()
        }
        XCTAssertEqual(writeStarted.wait(timeout: .now() + 10), .success)

        let start = ContinuousClock.now
        let during = try pool.withReader { try $0.queryOne("SELECT count(*) FROM t")?[0] }
        let elapsed = ContinuousClock.now - start
        XCTAssertEqual(during, .integer(1), "the uncommitted row is invisible")
        XCTAssertLessThan(elapsed, .seconds(1), "the read did not wait for the writer")

        finishWrite.signal()
        XCTAssertEqual(writerDone.wait(timeout: .now() + 10), .success)
        XCTAssertNil(writerError.withLock { $0 })
        XCTAssertEqual(try pool.withReader { try $0.queryOne("SELECT count(*) FROM t")?[0] }, .integer(2))
    }

    func testManyConcurrentReadersFromSeveralThreads() throws {
        let readerCount = 3
        let pool = try makePool(Configuration(readerCount: readerCount))
        try pool.withWriter { db in
            try db.transaction {
                for value in 2...100 { try db.run("INSERT INTO t VALUES (?)", [value]) }
            }
        }
        struct Tally { var inUse = 0; var maxInUse = 0; var sums: [Int64] = []; var errors: [String] = [] }
        let tally = Locked(Tally())
        let group = DispatchGroup()
        for _ in 0..<8 {
            group.enter()
            Thread.detachNewThread {
                for _ in 0..<25 {
                    do {
                        let sum = try pool.withReader { db in
                            tally.withLock { $0.inUse += 1; $0.maxInUse = max($0.maxInUse, $0.inUse) }
                            defer { tally.withLock { $0.inUse -= 1 } }
                            return try db.queryOne("SELECT sum(x) FROM t")?.int("sum(x)")
                        }
                        tally.withLock { $0.sums.append(sum ?? -1) }
                    } catch {
                        tally.withLock { $0.errors.append("\(error)") }
                    }
                }
                group.leave()
            }
        }
        XCTAssertEqual(group.wait(timeout: .now() + 30), .success)
        let result = tally.withLock { $0 }
        XCTAssertEqual(result.errors, [])
        XCTAssertEqual(result.sums.count, 200)
        XCTAssertEqual(Set(result.sums), [5050])
        XCTAssertLessThanOrEqual(result.maxInUse, readerCount, "never more readers lent than exist")
    }

    func testReadWaitsWhileAllReadersAreBusy() throws {
        let pool = try makePool(Configuration(readerCount: 1))
        let firstHolding = DispatchSemaphore(value: 0)
        let releaseFirst = DispatchSemaphore(value: 0)
        let secondDone = DispatchSemaphore(value: 0)
        let events = Locked<[String]>([])
        Thread.detachNewThread {
            _ = try? pool.withReader { _ in
                firstHolding.signal()
                releaseFirst.wait()
                events.withLock { $0.append("first released") }
            }
        }
        XCTAssertEqual(firstHolding.wait(timeout: .now() + 10), .success)
        Thread.detachNewThread {
            _ = try? pool.withReader { _ in events.withLock { $0.append("second read") } }
            secondDone.signal()
        }
        XCTAssertEqual(secondDone.wait(timeout: .now() + 0.3), .timedOut, "the second read waits for the only reader")
        releaseFirst.signal()
        XCTAssertEqual(secondDone.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(events.withLock { $0 }, ["first released", "second read"])
    }

    func testDatabaseThatCannotUseWALIsRefused() throws {
        let error = try XCTUnwrap(expectSQLiteError { _ = try DatabasePool(path: ":memory:") })
        XCTAssertTrue(error.message.contains("WAL"), error.message)
    }

    func testClosedPoolThrows() throws {
        let pool = try makePool()
        pool.close()
        pool.close()
        let readError = try XCTUnwrap(expectSQLiteError { try pool.withReader { _ in } })
        let writeError = try XCTUnwrap(expectSQLiteError { try pool.withWriter { _ in } })
        for error in [readError, writeError] {
            XCTAssertEqual(error.code, 21)
            XCTAssertTrue(error.message.contains("closed"), error.message)
        }
    }

    func testCloseWaitsForBusyReader() throws {
        let pool = try makePool()
        let readerHolding = DispatchSemaphore(value: 0)
        let releaseReader = DispatchSemaphore(value: 0)
        let closed = DispatchSemaphore(value: 0)
        let readResult = Locked<SQLiteValue?>(nil)
        Thread.detachNewThread {
            let value = try? pool.withReader { db in
                readerHolding.signal()
                releaseReader.wait()
                return try db.queryOne("SELECT count(*) FROM t")?[0]
            }
            readResult.withLock { $0 = value ?? nil }
        }
        XCTAssertEqual(readerHolding.wait(timeout: .now() + 10), .success)
        Thread.detachNewThread {
            pool.close()
            closed.signal()
        }
        XCTAssertEqual(closed.wait(timeout: .now() + 0.3), .timedOut, "close waits for the reader in use")
        releaseReader.signal()
        XCTAssertEqual(closed.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(readResult.withLock { $0 }, .integer(1), "the borrowed reader stayed usable until returned")
    }
}
