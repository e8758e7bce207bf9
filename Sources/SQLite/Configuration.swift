/// Settings applied to every connection when it is opened.
public struct Configuration: Sendable {
    /// How hard SQLite works to get a commit onto disk (`PRAGMA synchronous`).
    ///
    /// The default is `.full`: in WAL mode SQLite then syncs the log on every
    /// commit, so a transaction that has committed survives a power loss or OS
    /// crash. `.normal` syncs only at checkpoints — faster, and the database
    /// still cannot corrupt, but the last few commits may roll back after a
    /// power loss. `.off` hands data to the OS without syncing at all.
    /// The raw values are the lowercase pragma arguments (`"full"`), so a
    /// command-line or environment setting maps with `init(rawValue:)`.
    public enum Synchronous: String, Sendable {
        case off
        case normal
        case full
    }

    /// How long a statement waits for another connection's lock before failing
    /// with `SQLITE_BUSY` (via `sqlite3_busy_timeout`). Default: 5 seconds.
    public var busyTimeout: Duration
    /// `PRAGMA synchronous`. Default: `.full` (see `Synchronous`).
    public var synchronous: Synchronous
    /// `PRAGMA foreign_keys`: enforce FOREIGN KEY constraints. Default: `true`.
    public var foreignKeys: Bool
    /// How many reader connections a `DatabasePool` opens (at least one). Default: 4.
    public var readerCount: Int
    /// The WAL size, in frames, from which a `DatabasePool`'s checkpointer
    /// thread copies the WAL back into the database file (a passive
    /// checkpoint on its own connection, while writes go on). Default: 10,000
    /// frames (about 40 MiB of WAL), not SQLite's 1,000: under a steady stream
    /// of small writes the same pages are rewritten again and again, so a
    /// rarer checkpoint copies each once for many more commits. 0: no
    /// checkpoint until the pool closes.
    public var checkpointFrames: Int

    /// Creates a configuration; every argument has the documented default.
    public init(
        busyTimeout: Duration = .milliseconds(5000),
        synchronous: Synchronous = .full,
        foreignKeys: Bool = true,
        readerCount: Int = 4,
        checkpointFrames: Int = 10_000
    ) {
        self.busyTimeout = busyTimeout
        self.synchronous = synchronous
        self.foreignKeys = foreignKeys
        self.readerCount = readerCount
        self.checkpointFrames = checkpointFrames
    }

    /// `busyTimeout` in whole milliseconds, clamped to what `sqlite3_busy_timeout` takes.
    var busyTimeoutMilliseconds: Int32 {
        let (seconds, attoseconds) = busyTimeout.components
        // Capping the seconds first keeps the multiplication from overflowing.
        let milliseconds = min(max(seconds, 0), Int64(Int32.max)) * 1000 + attoseconds / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }
}
