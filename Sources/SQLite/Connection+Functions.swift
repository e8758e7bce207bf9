import CSQLite

/// A Swift function SQL can call, of one text argument: the body of
/// `Connection.defineFunction`.
public typealias TextFunction = @Sendable (String?) -> String?

/// Boxes a `TextFunction` so SQLite can carry it as the function's user data.
private final class TextFunctionBox {
    let body: TextFunction
    init(_ body: @escaping TextFunction) { self.body = body }
}

extension Connection {
    /// Makes `name(text)` callable from SQL on this connection (and only on it),
    /// for migrations that need a computation SQL lacks (a digest, say).
    /// The function is declared deterministic; a NULL or non-text argument
    /// reaches `body` as nil, and a nil result is SQL NULL.
    public func defineFunction(_ name: String, _ body: @escaping TextFunction) throws {
        let db = try openHandle()
        let box = Unmanaged.passRetained(TextFunctionBox(body)).toOpaque()
        let resultCode = sqlite3_create_function_v2(
            db, name, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, box,
            { context, count, values in
                let box = Unmanaged<TextFunctionBox>.fromOpaque(sqlite3_user_data(context)!).takeUnretainedValue()
                var argument: String?
                if count == 1, let value = values?[0], sqlite3_value_type(value) == SQLITE_TEXT, let text = sqlite3_value_text(value) {
                    argument = String(cString: text)
                }
                if let result = box.body(argument) {
                    sqlite3_result_text(context, result, -1, csqlite_transient())
                } else {
                    sqlite3_result_null(context)
                }
            },
            nil, nil,
            { pointer in pointer.map { Unmanaged<TextFunctionBox>.fromOpaque($0).release() } }
        )
        guard resultCode == SQLITE_OK else { throw SQLiteError(resultCode: resultCode, db: db, sql: "sqlite3_create_function_v2(\(name))") }
    }
}
