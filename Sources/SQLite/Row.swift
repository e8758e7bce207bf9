/// One result row, with its values copied out of the statement.
///
/// Columns are looked up by position or by name. Name lookup ignores
/// case (as SQL does) and finds the leftmost column of that name; an unknown
/// name reads as `.null`, so the typed accessors then return `nil`.
public struct Row: Sendable, Hashable {
    /// The values, in column order.
    public let values: [SQLiteValue]
    private let columns: Columns

    init(values: [SQLiteValue], columns: Columns) {
        self.values = values
        self.columns = columns
    }

    /// The column names, in order, as SQLite reports them.
    public var columnNames: [String] { columns.names }

    /// The value at `index` (0-based). Traps when out of range, like an array.
    public subscript(_ index: Int) -> SQLiteValue { values[index] }

    /// The value of the column called `name`, or `.null` when there is none.
    public subscript(_ name: String) -> SQLiteValue {
        columns.index(of: name).map { values[$0] } ?? .null
    }

    /// The position of the column called `name`, or nil when there is none.
    public func columnIndex(_ name: String) -> Int? {
        columns.index(of: name)
    }

    /// The integer in column `name`; `nil` for NULL or any other storage class.
    public func int(_ name: String) -> Int64? {
        if case .integer(let value) = self[name] { return value }
        return nil
    }

    /// The number in column `name`, REAL or INTEGER; `nil` otherwise.
    public func double(_ name: String) -> Double? {
        switch self[name] {
        case .real(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }

    /// The text in column `name`; `nil` for NULL or any other storage class.
    public func string(_ name: String) -> String? {
        if case .text(let value) = self[name] { return value }
        return nil
    }

    /// The blob in column `name`; `nil` for NULL or any other storage class.
    public func bytes(_ name: String) -> [UInt8]? {
        if case .blob(let value) = self[name] { return value }
        return nil
    }

    /// The integer in column `name` read as a boolean (0 is false, anything else true).
    public func bool(_ name: String) -> Bool? {
        int(name).map { $0 != 0 }
    }
}

extension Row {
    /// The column layout of a result set, shared by all its rows.
    final class Columns: Sendable, Hashable {
        let names: [String]
        /// Names as SQLite reports them: the code asks in the same case, and this skips lowercasing.
        private let indexByName: [String: Int]
        private let indexByLowercasedName: [String: Int]

        init(names: [String]) {
            self.names = names
            var indexByLowercasedName: [String: Int] = [:]
            for (index, name) in names.enumerated() where indexByLowercasedName[name.lowercased()] == nil {
                indexByLowercasedName[name.lowercased()] = index
            }
            // Each name leads to the leftmost column equal to it in any case.
            var indexByName: [String: Int] = [:]
            for name in names where indexByName[name] == nil {
                indexByName[name] = indexByLowercasedName[name.lowercased()]
            }
            self.indexByName = indexByName
            self.indexByLowercasedName = indexByLowercasedName
        }

        func index(of name: String) -> Int? {
            indexByName[name] ?? indexByLowercasedName[name.lowercased()]
        }

        static func == (lhs: Columns, rhs: Columns) -> Bool { lhs.names == rhs.names }
        func hash(into hasher: inout Hasher) { hasher.combine(names) }
    }
}
