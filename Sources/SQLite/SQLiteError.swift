import CSQLite

/// An error reported by SQLite, with the statement that caused it.
///
/// Connections turn on extended result codes, so `extendedCode` tells apart
/// e.g. a UNIQUE violation (2067) from a FOREIGN KEY violation (787), while
/// `code` holds the primary code (both are SQLITE_CONSTRAINT = 19).
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The primary result code, e.g. `SQLITE_CONSTRAINT` (19).
    public let code: Int32
    /// The extended result code, e.g. `SQLITE_CONSTRAINT_UNIQUE` (2067).
    public let extendedCode: Int32
    /// SQLite's explanation (`sqlite3_errmsg`), or this wrapper's for misuse.
    public let message: String
    /// The SQL statement that failed, when there was one.
    public let sql: String?

    /// Creates an error; `code` is derived from the low byte of `extendedCode`.
    public init(extendedCode: Int32, message: String, sql: String? = nil) {
        self.code = extendedCode & 0xFF
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
    }

    /// The error SQLite has recorded on `db` for the result code `resultCode`.
    init(resultCode: Int32, db: OpaquePointer?, sql: String?) {
        let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(resultCode))
        self.init(extendedCode: resultCode, message: message, sql: sql)
    }

    /// A misuse of this wrapper (closed connection, wrong argument count...), reported as `SQLITE_MISUSE`.
    static func misuse(_ message: String, sql: String? = nil) -> SQLiteError {
        SQLiteError(extendedCode: SQLITE_MISUSE, message: message, sql: sql)
    }

    /// Any constraint failure (UNIQUE, PRIMARY KEY, FOREIGN KEY, CHECK, NOT NULL...).
    public var isConstraintViolation: Bool { code == SQLITE_CONSTRAINT }
    /// A UNIQUE or PRIMARY KEY constraint failure: the row already exists.
    public var isUniqueViolation: Bool {
        extendedCode == ExtendedCode.constraintUnique || extendedCode == ExtendedCode.constraintPrimaryKey
    }
    /// A FOREIGN KEY constraint failure.
    public var isForeignKeyViolation: Bool { extendedCode == ExtendedCode.constraintForeignKey }
    /// A CHECK constraint failure.
    public var isCheckViolation: Bool { extendedCode == ExtendedCode.constraintCheck }
    /// A NOT NULL constraint failure.
    public var isNotNullViolation: Bool { extendedCode == ExtendedCode.constraintNotNull }
    /// The database was locked by another connection for longer than the busy timeout.
    public var isBusy: Bool { code == SQLITE_BUSY }

    /// Why the storage itself cannot take the work right now — a full disk, a
    /// read-only file or file system, an I/O error, a lock held too long — in
    /// plain words; nil for errors of the statement or the data (constraints,
    /// syntax, misuse), which retrying cannot fix.
    public var storageFault: String? {
        switch code {
        case SQLITE_FULL: "the disk is full"
        case SQLITE_READONLY: "the database is read-only"
        case SQLITE_IOERR: "the disk reported an I/O error"
        case SQLITE_CANTOPEN: "the database file cannot be opened"
        case SQLITE_BUSY, SQLITE_LOCKED: "the database is locked by another process"
        case SQLITE_NOMEM: "SQLite ran out of memory"
        case SQLITE_PROTOCOL: "the WAL locking protocol failed"
        default: nil
        }
    }

    /// The whole transaction was rolled back by SQLite after a failure inside
    /// it (an I/O or full-disk error can do that); `cause` is that failure.
    public static func transactionRolledBack(after cause: SQLiteError?) -> SQLiteError {
        cause ?? SQLiteError(extendedCode: SQLITE_ABORT, message: "the transaction was rolled back")
    }

    public var description: String {
        var text = "SQLite error \(code) (extended \(extendedCode)): \(message)"
        if let sql { text += " — in `\(sql)`" }
        return text
    }

    /// Extended result codes. sqlite3.h defines them as `(PRIMARY | (n<<8))`
    /// macros, which Swift does not import, so they are restated here.
    public enum ExtendedCode {
        public static let constraintCheck: Int32 = SQLITE_CONSTRAINT | (1 << 8)       // 275
        public static let constraintForeignKey: Int32 = SQLITE_CONSTRAINT | (3 << 8)  // 787
        public static let constraintNotNull: Int32 = SQLITE_CONSTRAINT | (5 << 8)     // 1299
        public static let constraintPrimaryKey: Int32 = SQLITE_CONSTRAINT | (6 << 8)  // 1555
        public static let constraintUnique: Int32 = SQLITE_CONSTRAINT | (8 << 8)      // 2067
    }
}
