import Foundation

/// One writer connection and a pool of reader connections to the same database file.
///
/// The database is in WAL mode, so readers see the last committed state and
/// never wait for a writer, and the writer never waits for readers. Writes are
/// serialised through the single writer connection.
///
/// The pool lends connections; it opens no transaction itself (the registry's
/// group commit does, on the writer it borrows). Do not call `withWriter` from
/// inside `withWriter` on the same pool: the writer lock is not reentrant.
/// `withReader` inside `withWriter` is fine (it sees the state before the
/// writer's uncommitted changes).
public final class DatabasePool: @unchecked Sendable {
    // Why @unchecked Sendable is sound: the non-Sendable Connections are only ever
    // touched while holding a lock, and none escapes the body it is lent to
    // (Connection is explicitly non-Sendable, so a body cannot send it elsewhere):
    // - `writer` and `writerIsClosed` are only accessed while `writerLock` is held;
    // - `idleReaders`, `busyReaderCount` and `readersAreClosed` only while
    //   `readerCondition` is locked. A reader taken from `idleReaders` is used
    //   by exactly one thread until it is put back under the same lock.
    private let writerLock = NSLock()
    private let writer: Connection
    private var writerIsClosed = false

    private let readerCondition = NSCondition()
    private var idleReaders: [Connection]
    private var busyReaderCount = 0
    private var readersAreClosed = false

    /// Copies the WAL into the database file off the commit path (nil: `checkpointFrames` is 0).
    private let checkpointer: Checkpointer?

    /// The database file path.
    public let path: String

    /// Opens the database at `path` (creating it if needed) with one writer
    /// and `configuration.readerCount` readers (at least one).
    ///
    /// The writer switches the file to WAL mode; readers are opened with
    /// `SQLITE_OPEN_READONLY`. Every connection gets the configured busy
    /// timeout, `foreign_keys` and `synchronous` settings. Unless
    /// `checkpointFrames` is 0, a `Checkpointer` thread with a connection of
    /// its own keeps the WAL in check; no commit runs a checkpoint itself.
    public init(path: String, configuration: Configuration = .init()) throws {
        self.path = path
        writer = try Connection(path: path, configuration: configuration)
        let journalMode = try writer.queryOne("PRAGMA journal_mode")?[0]
        guard journalMode == .text("wal") else {
            throw SQLiteError.misuse("\(path) could not be switched to WAL mode (journal_mode is \(String(describing: journalMode)))")
        }
        idleReaders = try (0..<max(1, configuration.readerCount)).map { _ in
            try Connection(path: path, configuration: configuration, readOnly: true)
        }
        let checkpointer = configuration.checkpointFrames > 0
            ? try Checkpointer(path: path, configuration: configuration, threshold: configuration.checkpointFrames)
            : nil
        self.checkpointer = checkpointer
        // The hook replaces SQLite's automatic checkpoint, which would run inside a commit.
        try writer.onWALCommit { frames in checkpointer?.walGrew(to: frames) }
    }

    /// Runs `body` with exclusive use of the writer connection, holding the
    /// writer lock for the whole call. `body` opens its own transactions.
    public func withWriter<T>(_ body: (Connection) throws -> T) throws -> T {
        writerLock.lock()
        defer { writerLock.unlock() }
        guard !writerIsClosed else { throw closedError }
        return try body(writer)
    }

    /// Runs `body` with a reader connection, waiting while all readers are busy.
    /// Each statement outside an explicit transaction reads the latest committed
    /// state; wrap several reads in `transaction(.deferred)` for one snapshot.
    public func withReader<T>(_ body: (Connection) throws -> T) throws -> T {
        let reader = try checkOutReader()
        defer { checkIn(reader) }
        return try body(reader)
    }

    private func checkOutReader() throws -> Connection {
        readerCondition.lock()
        defer { readerCondition.unlock() }
        while true {
            guard !readersAreClosed else { throw closedError }
            if let reader = idleReaders.popLast() {
                busyReaderCount += 1
                return reader
            }
            readerCondition.wait()
        }
    }

    private func checkIn(_ reader: Connection) {
        readerCondition.lock()
        defer { readerCondition.unlock() }
        idleReaders.append(reader)
        busyReaderCount -= 1
        // Wakes both readers waiting for a connection and a `close()` waiting for all to come back.
        readerCondition.broadcast()
    }

    /// Closes every connection, waiting for readers and the writer in use to be
    /// handed back. Afterwards `withReader` and `withWriter` throw `SQLITE_MISUSE`. Idempotent.
    /// Closes every connection, first folding the WAL back into the database
    /// (`wal_checkpoint(TRUNCATE)`). Returns the checkpoint's error when that
    /// failed — on a full disk, say — in which case the WAL stays beside the
    /// database, holding committed writes, and is applied on the next open.
    @discardableResult
    public func close() -> SQLiteError? {
        checkpointer?.stop()
        readerCondition.lock()
        readersAreClosed = true
        readerCondition.broadcast()
        while busyReaderCount > 0 {
            readerCondition.wait()
        }
        let readers = idleReaders
        idleReaders = []
        readerCondition.unlock()
        readers.forEach { $0.close() }

        // Readers are closed first so the writer, closing last, can checkpoint and remove the WAL file.
        writerLock.lock()
        defer { writerLock.unlock() }
        guard !writerIsClosed else { return nil }
        writerIsClosed = true
        var checkpointError: SQLiteError?
        do {
            // Row 0: 1 when the checkpoint could not complete (busy).
            if let row = try writer.queryOne("PRAGMA wal_checkpoint(TRUNCATE)"), row[0] == .integer(1) {
                checkpointError = SQLiteError(extendedCode: 5, message: "the WAL checkpoint could not complete")
            }
        } catch let error as SQLiteError {
            checkpointError = error
        } catch {}
        writer.close()
        return checkpointError
    }

    private var closedError: SQLiteError {
        SQLiteError.misuse("the database pool for \(path) is closed")
    }
}
