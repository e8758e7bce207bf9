import JSON
import SQLite

/// A stored row or document that does not hold what the code wrote there:
/// a storage fault, answered 500 `internal` and logged with this description,
/// never read as a default value.
public struct CorruptRecord: Error, CustomStringConvertible {
    public let description: String
}

/// Reads one stored row or JSON document strictly: every field the model
/// needs must be there with its type, or the read fails with `CorruptRecord`
/// naming the table and the field.
struct StoredRecord {
    /// Where the values come from, for the error (`partners`, `conventions.document`).
    let source: String
    private let storage: Storage

    private enum Storage {
        case document(JSONObject)
        /// Read column by column as asked: a page of rows builds no dictionaries.
        case row(Row)
    }

    init(document: JSONObject, source: String) {
        self.source = source
        storage = .document(document)
    }

    /// The columns of `row` (blobs are not read this way).
    init(row: Row, table: String) {
        source = table
        storage = .row(row)
    }

    /// The value of `key`; nil when there is no such field or column.
    private func value(_ key: String) -> JSON? {
        switch storage {
        case .document(let document):
            return document[key]
        case .row(let row):
            guard let index = row.columnIndex(key) else { return nil }
            switch row[index] {
            case .null, .blob: return .null
            case .integer(let value): return .int(value)
            case .real(let value): return .double(value)
            case .text(let value): return .string(value)
            }
        }
    }

    /// The stored JSON document in the text column `column` of `row`.
    init(documentIn row: Row, column: String = "document", table: String) throws(CorruptRecord) {
        let source = "\(table).\(column)"
        guard let text = row.string(column), let object = (try? JSON.parse(text))?.objectValue else {
            throw CorruptRecord(description: "\(source) is not a JSON object")
        }
        self.init(document: object, source: source)
    }

    private func corrupt(_ key: String, _ expected: String) -> CorruptRecord {
        CorruptRecord(description: "\(source): \(key) is \(value(key).map { "\($0)" } ?? "missing"), expected \(expected)")
    }

    private func optional<T>(_ key: String, _ expected: String, _ read: (JSON) -> T?) throws(CorruptRecord) -> T? {
        guard let value = value(key), value != .null else { return nil }
        guard let read = read(value) else { throw corrupt(key, expected) }
        return read
    }

    private func required<T>(_ key: String, _ expected: String, _ read: (JSON) -> T?) throws(CorruptRecord) -> T {
        guard let value = try optional(key, expected, read) else { throw corrupt(key, expected) }
        return value
    }

    func string(_ key: String) throws(CorruptRecord) -> String { try required(key, "text", \.stringValue) }
    func optionalString(_ key: String) throws(CorruptRecord) -> String? { try optional(key, "text", \.stringValue) }
    func int(_ key: String) throws(CorruptRecord) -> Int64 { try required(key, "an integer", \.intValue) }
    func optionalInt(_ key: String) throws(CorruptRecord) -> Int64? { try optional(key, "an integer", \.intValue) }
    func double(_ key: String) throws(CorruptRecord) -> Double { try required(key, "a number", \.doubleValue) }
    func optionalDouble(_ key: String) throws(CorruptRecord) -> Double? { try optional(key, "a number", \.doubleValue) }
    func optionalBool(_ key: String) throws(CorruptRecord) -> Bool? { try optional(key, "true or false", \.boolValue) }
    func bool(_ key: String) throws(CorruptRecord) -> Bool { try required(key, "true or false", \.boolValue) }
    func object(_ key: String) throws(CorruptRecord) -> JSONObject { try required(key, "an object", \.objectValue) }
    func array(_ key: String) throws(CorruptRecord) -> [JSON] { try required(key, "an array", \.arrayValue) }
    /// Any JSON value, `null` included.
    func json(_ key: String) throws(CorruptRecord) -> JSON {
        guard let value = value(key) else { throw corrupt(key, "a value") }
        return value
    }

    /// A value of a closed set (a status, a role, a kind).
    func value<T: RawRepresentable>(_ key: String, as _: T.Type = T.self) throws(CorruptRecord) -> T where T.RawValue == String {
        try required(key, "one of \(T.self)'s values") { $0.stringValue.flatMap(T.init(rawValue:)) }
    }

    func strings(_ key: String) throws(CorruptRecord) -> [String] {
        let items = try array(key)
        let strings = items.compactMap(\.stringValue)
        guard strings.count == items.count else { throw corrupt(key, "an array of text") }
        return strings
    }

    /// The objects of the array `key`, each read strictly in turn.
    func records(_ key: String) throws(CorruptRecord) -> [StoredRecord] {
        let items = try array(key)
        let objects = items.compactMap(\.objectValue)
        guard objects.count == items.count else { throw corrupt(key, "an array of objects") }
        return objects.enumerated().map { StoredRecord(document: $1, source: "\(source).\(key)[\($0)]") }
    }

    /// An object that may be `null`, read strictly when present.
    func optionalRecord(_ key: String) throws(CorruptRecord) -> StoredRecord? {
        try optional(key, "an object", \.objectValue).map { StoredRecord(document: $0, source: "\(source).\(key)") }
    }

    /// An array of objects that older documents may lack (read as empty).
    func optionalRecords(_ key: String) throws(CorruptRecord) -> [StoredRecord] {
        guard let value = value(key), !value.isNull else { return [] }
        return try records(key)
    }

    /// A text column holding JSON (`expertise`, `events`, `changes`), parsed.
    func parsedJSON(_ key: String) throws(CorruptRecord) -> JSON {
        guard let parsed = try? JSON.parse(try string(key)) else { throw corrupt(key, "JSON text") }
        return parsed
    }

    /// A text column holding a JSON array of text.
    func parsedStrings(_ key: String) throws(CorruptRecord) -> [String] {
        guard let items = try parsedJSON(key).arrayValue else { throw corrupt(key, "a JSON array of text") }
        let strings = items.compactMap(\.stringValue)
        guard strings.count == items.count else { throw corrupt(key, "a JSON array of text") }
        return strings
    }
}

extension Row {
    /// The `seq` column every resource table has (keyset pagination).
    func seq() throws(CorruptRecord) -> Int64 {
        guard let seq = int("seq") else { throw CorruptRecord(description: "a row without its seq") }
        return seq
    }
}
