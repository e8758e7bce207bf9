import CSQLite

/// A prepared statement: bind parameters, step through rows, reset, repeat.
///
/// Obtain one from `Connection.prepare(_:)` or `Connection.cachedStatement(_:)`.
/// Like its connection, a statement is used by one thread at a time. It is
/// finalized when released; a statement that outlives its connection's
/// `close()` keeps the underlying handle alive until then (`sqlite3_close_v2`).
public final class Statement {
    /// The SQL text the statement was prepared from.
    public let sql: String
    private let handle: OpaquePointer

    /// Takes ownership of a prepared statement handle.
    init(handle: OpaquePointer) {
        self.handle = handle
        self.sql = String(cString: sqlite3_sql(handle))
    }

    deinit {
        sqlite3_finalize(handle)
    }

    // MARK: Binding

    /// The number of parameters (`?`, `?NNN`, `:name`...) in the statement.
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// Binds `values` to parameters 1...n. Throws when the count differs from `parameterCount`.
    public func bind(_ values: [any SQLiteBindable]) throws {
        guard values.count == parameterCount else {
            throw SQLiteError.misuse("expected \(parameterCount) arguments, got \(values.count)", sql: sql)
        }
        for (offset, value) in values.enumerated() {
            try bind(value, at: offset + 1)
        }
    }

    /// Binds `value` to the parameter at `index` (1-based, as in SQLite).
    /// Text and blobs are copied (`SQLITE_TRANSIENT`), with their exact byte length.
    public func bind(_ value: any SQLiteBindable, at index: Int) throws {
        let position = Int32(index)
        let resultCode: Int32
        switch value.sqliteValue {
        case .null:
            resultCode = sqlite3_bind_null(handle, position)
        case .integer(let integer):
            resultCode = sqlite3_bind_int64(handle, position, integer)
        case .real(let real):
            resultCode = sqlite3_bind_double(handle, position, real)
        case .text(let text) where text.isEmpty:
            // A NULL pointer would bind SQL NULL, so the empty string gets a real, empty buffer.
            resultCode = sqlite3_bind_text64(handle, position, "", 0, csqlite_transient(), UInt8(SQLITE_UTF8))
        case .text(var text):
            resultCode = text.withUTF8 { utf8 in
                utf8.withMemoryRebound(to: CChar.self) {
                    sqlite3_bind_text64(handle, position, $0.baseAddress, UInt64($0.count), csqlite_transient(), UInt8(SQLITE_UTF8))
                }
            }
        case .blob(let bytes):
            // Likewise for blobs: an empty one is bound as a zero-length zeroblob.
            resultCode = bytes.isEmpty
                ? sqlite3_bind_zeroblob(handle, position, 0)
                : bytes.withUnsafeBytes { sqlite3_bind_blob64(handle, position, $0.baseAddress, UInt64($0.count), csqlite_transient()) }
        }
        guard resultCode == SQLITE_OK else {
            throw SQLiteError(resultCode: resultCode, db: sqlite3_db_handle(handle), sql: sql)
        }
    }

    /// Sets every parameter back to NULL.
    public func clearBindings() {
        sqlite3_clear_bindings(handle)
    }

    // MARK: Execution

    /// Advances to the next row. Returns `true` when a row is available, `false` when done.
    @discardableResult
    public func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let resultCode: throw SQLiteError(resultCode: resultCode, db: sqlite3_db_handle(handle), sql: sql)
        }
    }

    /// Rewinds the statement so it can run again, keeping its bindings.
    /// Also ends the read it may hold open. Errors were already thrown by `step()`.
    public func reset() {
        sqlite3_reset(handle)
    }

    /// Whether the statement has been stepped and not yet run to completion or reset.
    var isBusy: Bool { sqlite3_stmt_busy(handle) != 0 }

    // MARK: Reading the current row

    /// The number of columns in the result.
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// The name of column `index` (0-based).
    public func columnName(_ index: Int) -> String {
        String(cString: sqlite3_column_name(handle, Int32(index)))
    }

    /// All column names, in order.
    public var columnNames: [String] { (0..<columnCount).map(columnName) }

    /// The value of column `index` (0-based) in the current row.
    public func value(at index: Int) -> SQLiteValue {
        let column = Int32(index)
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            // Read the pointer first, then the byte count (the documented order); no reliance on NUL termination.
            let text = sqlite3_column_text(handle, column)
            let count = Int(sqlite3_column_bytes(handle, column))
            return .text(text.map { String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self) } ?? "")
        case SQLITE_BLOB:
            let bytes = sqlite3_column_blob(handle, column)
            let count = Int(sqlite3_column_bytes(handle, column))
            return .blob(bytes.map { Array(UnsafeRawBufferPointer(start: $0, count: count)) } ?? [])
        default:
            return .null
        }
    }

    /// The current row, copied out.
    public var row: Row { row(columns: Row.Columns(names: columnNames)) }

    /// The current row, sharing an already-built column layout.
    func row(columns: Row.Columns) -> Row {
        Row(values: (0..<columnCount).map(value(at:)), columns: columns)
    }
}

@available(*, unavailable, message: "A Statement belongs to a Connection, which is used by one thread at a time")
extension Statement: Sendable {}
