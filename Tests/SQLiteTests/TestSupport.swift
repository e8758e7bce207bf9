import Foundation
import SQLite
import XCTest

extension XCTestCase {
    /// A fresh directory under the system temporary directory, removed when the test ends.
    func makeTemporaryDirectory() throws -> String {
        let path = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("entente-sqlite-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// A path for a database file in a fresh temporary directory.
    func makeDatabasePath() throws -> String {
        try makeTemporaryDirectory() + "/test.sqlite"
    }

    /// A writable connection to a fresh database file, closed when the test ends.
    func makeConnection() throws -> Connection {
        let connection = try Connection(path: try makeDatabasePath())
        addTeardownBlock { [connection] in connection.close() }
        return connection
    }

    /// Runs `body`, asserts that it throws a `SQLiteError`, and returns it.
    func expectSQLiteError(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> SQLiteError? {
        do {
            try body()
            XCTFail("expected a SQLiteError, nothing was thrown", file: file, line: line)
        } catch let error as SQLiteError {
            return error
        } catch {
            XCTFail("expected a SQLiteError, got \(error)", file: file, line: line)
        }
        return nil
    }
}

/// An error thrown on purpose by test bodies.
struct Boom: Error, Equatable {}

/// A value shared between test threads, guarded by a lock.
/// (`NSLock` rather than `Synchronization.Mutex`: ThreadSanitizer understands pthread mutexes.)
final class Locked<Value>: @unchecked Sendable {
    // @unchecked: `value` is only read or written while `lock` is held.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
