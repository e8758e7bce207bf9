import CSQLite

/// One SQLite database connection, with a cache of prepared statements.
///
/// A connection is not `Sendable`: it must be used by one thread at a time.
/// That is why it is opened with `SQLITE_OPEN_NOMUTEX` — SQLite's own
/// per-connection mutex would only add cost; a `DatabasePool` provides the
/// serialisation by lending each connection to one caller at a time.
///
/// Every connection turns on extended result codes, sets the busy timeout,
/// `PRAGMA foreign_keys`, `PRAGMA synchronous` and `temp_store = MEMORY`; a
/// writable one also switches the database to `journal_mode=WAL`.
public final class Connection {
    /// The database file path, as given to `init`.
    public let path: String
    /// Whether the connection was opened with `SQLITE_OPEN_READONLY`.
    public let isReadOnly: Bool
    /// The sqlite3 handle; `nil` once closed.
    private var handle: OpaquePointer?
    /// The WAL hook's handler, kept alive while SQLite holds a pointer to it.
    var walCommitHandler: WALCommitHandler?
    /// Statements prepared by `cachedStatement(_:)`, keyed by SQL text.
    private var statementCache: [String: Statement] = [:]
    /// How many `savepoint(_:)` calls are in progress; names the next savepoint.
    var savepointDepth = 0

    /// Opens (and, unless `readOnly`, creates) the database at `path` and applies `configuration`.
    public init(path: String, configuration: Configuration = .init(), readOnly: Bool = false) throws {
        self.path = path
        self.isReadOnly = readOnly
        let access = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        var db: OpaquePointer?
        let resultCode = sqlite3_open_v2(path, &db, access | SQLITE_OPEN_NOMUTEX, nil)
        guard resultCode == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(resultCode))
            let extendedCode = db.map { sqlite3_extended_errcode($0) } ?? resultCode
            sqlite3_close_v2(db)
            throw SQLiteError(extendedCode: extendedCode, message: "\(message): \(path)")
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, configuration.busyTimeoutMilliseconds)
        do {
            if !readOnly {
                try execute("PRAGMA journal_mode = WAL")
            }
            // Statement journals (the savepoints of a group commit) stay in
            // memory instead of spilling to temporary files.
            try execute("PRAGMA temp_store = MEMORY")
            try execute("PRAGMA foreign_keys = \(configuration.foreignKeys ? "ON" : "OFF")")
            try execute("PRAGMA synchronous = \(configuration.synchronous.rawValue)")
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
    }

    /// Finalizes the cached statements and closes the connection. Idempotent.
    ///
    /// Uses `sqlite3_close_v2`: a `Statement` the caller still holds keeps the
    /// underlying handle alive until it is released. Later calls throw `SQLITE_MISUSE`.
    public func close() {
        statementCache.removeAll()
        guard let handle else { return }
        sqlite3_close_v2(handle)
        self.handle = nil
        walCommitHandler = nil
    }

    /// The open handle, or a misuse error once the connection is closed.
    func openHandle() throws -> OpaquePointer {
        guard let handle else { throw SQLiteError.misuse("the connection to \(path) is closed") }
        return handle
    }

    // MARK: State

    /// The rowid of the most recent successful INSERT on this connection.
    public var lastInsertRowID: Int64 { handle.map { sqlite3_last_insert_rowid($0) } ?? 0 }

    /// The number of rows changed by the most recent INSERT, UPDATE or DELETE.
    public var changes: Int { handle.map { Int(sqlite3_changes64($0)) } ?? 0 }

    /// Whether a transaction is open (the connection is not in autocommit mode).
    public var isInTransaction: Bool { handle.map { sqlite3_get_autocommit($0) == 0 } ?? false }

    // MARK: Statements

    /// Runs one or more `;`-separated statements without parameters (schema, pragmas, migrations).
    ///
    /// Statements are prepared and run one after another, like `sqlite3_exec`;
    /// rows they return are skipped. Execution stops at the first error, which
    /// carries the text of the statement that failed (or, when the failure is a
    /// syntax error, the script from that statement on).
    public func execute(_ sql: String) throws {
        let db = try openHandle()
        try sql.withCString { start in
            var remaining = start
            while remaining.pointee != 0 {
                var statementHandle: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                let resultCode = sqlite3_prepare_v2(db, remaining, -1, &statementHandle, &tail)
                guard resultCode == SQLITE_OK, let tail else {
                    throw SQLiteError(resultCode: resultCode, db: db, sql: String(String(cString: remaining).drop(while: \.isWhitespace)))
                }
                remaining = tail
                // A nil handle means only whitespace or a comment was left.
                guard let statementHandle else { continue }
                let statement = Statement(handle: statementHandle)
                while try statement.step() {}
            }
        }
    }

    /// Prepares a single statement, outside the cache; it is finalized when released.
    public func prepare(_ sql: String) throws -> Statement {
        try prepare(sql, flags: 0)
    }

    /// Prepares exactly one statement: empty text, or text holding a second statement, is refused.
    private func prepare(_ sql: String, flags: UInt32) throws -> Statement {
        let db = try openHandle()
        var statementHandle: OpaquePointer?
        var hasMoreStatements = false
        let resultCode = sql.withCString { start in
            var tail: UnsafePointer<CChar>?
            let resultCode = sqlite3_prepare_v3(db, start, -1, flags, &statementHandle, &tail)
            if resultCode == SQLITE_OK, let tail, tail.pointee != 0 {
                var next: OpaquePointer?
                hasMoreStatements = sqlite3_prepare_v2(db, tail, -1, &next, nil) != SQLITE_OK || next != nil
                sqlite3_finalize(next)
            }
            return resultCode
        }
        guard resultCode == SQLITE_OK else {
            throw SQLiteError(resultCode: resultCode, db: db, sql: sql)
        }
        guard let statementHandle else {
            throw SQLiteError.misuse("no SQL statement to prepare", sql: sql)
        }
        let statement = Statement(handle: statementHandle)
        guard !hasMoreStatements else {
            throw SQLiteError.misuse("expected a single statement; use execute(_:) for scripts", sql: sql)
        }
        return statement
    }

    /// The cached statement for `sql`, prepared on first use with
    /// `SQLITE_PREPARE_PERSISTENT`; reset and cleared of bindings before it is returned.
    public func cachedStatement(_ sql: String) throws -> Statement {
        if let statement = statementCache[sql] {
            statement.reset()
            statement.clearBindings()
            return statement
        }
        let statement = try prepare(sql, flags: UInt32(SQLITE_PREPARE_PERSISTENT))
        statementCache[sql] = statement
        return statement
    }

    /// A statement for `sql` with `arguments` bound: the cached one, unless that
    /// one is mid-iteration (the same SQL run again from inside `forEachRow`),
    /// in which case a fresh statement so the outer iteration is not disturbed.
    private func boundStatement(_ sql: String, _ arguments: [any SQLiteBindable]) throws -> Statement {
        let statement: Statement
        if let cached = statementCache[sql], cached.isBusy {
            statement = try prepare(sql)
        } else {
            statement = try cachedStatement(sql)
        }
        try statement.bind(arguments)
        return statement
    }

    /// Runs a single statement with `arguments` bound to its parameters, through the statement cache.
    public func run(_ sql: String, _ arguments: [any SQLiteBindable] = []) throws {
        let statement = try boundStatement(sql, arguments)
        defer { statement.reset() }
        while try statement.step() {}
    }

    /// Runs a single statement and returns all its rows.
    public func query(_ sql: String, _ arguments: [any SQLiteBindable] = []) throws -> [Row] {
        var rows: [Row] = []
        try forEachRow(sql, arguments) { rows.append($0) }
        return rows
    }

    /// Runs a single statement and returns its first row, or `nil` when there is none.
    /// The statement is reset afterwards, so no read stays open.
    public func queryOne(_ sql: String, _ arguments: [any SQLiteBindable] = []) throws -> Row? {
        let statement = try boundStatement(sql, arguments)
        defer { statement.reset() }
        return try statement.step() ? statement.row : nil
    }

    /// Runs a single statement and calls `body` with each row as it is stepped to,
    /// without collecting them. An error thrown by `body` stops the iteration.
    public func forEachRow(_ sql: String, _ arguments: [any SQLiteBindable] = [], _ body: (Row) throws -> Void) throws {
        let statement = try boundStatement(sql, arguments)
        defer { statement.reset() }
        var columns: Row.Columns?
        while try statement.step() {
            // Built after the first step: a schema change may re-prepare the statement during it.
            let layout = columns ?? Row.Columns(names: statement.columnNames)
            columns = layout
            try body(statement.row(columns: layout))
        }
    }
}

@available(*, unavailable, message: "A Connection is used by one thread at a time; share a DatabasePool instead")
extension Connection: Sendable {}
