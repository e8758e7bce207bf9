import CSQLite

extension Connection {
    /// Calls `handler` with the WAL's size in frames after each commit on
    /// this connection (`sqlite3_wal_hook`), on the committing thread, inside
    /// the commit: it must be quick. Replaces SQLite's automatic checkpoint,
    /// which uses the same hook. `nil` removes the handler.
    public func onWALCommit(_ handler: (@Sendable (Int) -> Void)?) throws {
        let db = try openHandle()
        walCommitHandler = handler.map(WALCommitHandler.init)
        guard let box = walCommitHandler else {
            sqlite3_wal_hook(db, nil, nil)
            return
        }
        sqlite3_wal_hook(db, { context, _, _, frames in
            Unmanaged<WALCommitHandler>.fromOpaque(context!).takeUnretainedValue().call(Int(frames))
            return SQLITE_OK
        }, Unmanaged.passUnretained(box).toOpaque())
    }
}

/// Holds a WAL hook's handler for as long as the connection has it installed
/// (the connection keeps the only strong reference; SQLite gets an unretained pointer).
final class WALCommitHandler {
    let call: @Sendable (Int) -> Void

    init(_ call: @escaping @Sendable (Int) -> Void) {
        self.call = call
    }
}
