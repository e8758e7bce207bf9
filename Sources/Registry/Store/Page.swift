/// One page of a list, oldest first, and where the next one starts.
public struct Page<Item: Sendable>: Sendable {
    public let items: [Item]
    /// The cursor of the next page, nil on the last one.
    public let nextCursor: String?
}

/// Paging parameters, checked by the API layer (limit 1–500).
public struct PageRequest: Sendable {
    public let limit: Int
    /// The last `seq` already served (decoded from the cursor).
    public let after: Int64
    /// No limit: every matching row (CSV export).
    public let unlimited: Bool

    public init(limit: Int = 50, after: Int64 = 0, unlimited: Bool = false) {
        self.limit = limit
        self.after = after
        self.unlimited = unlimited
    }

    /// `LIMIT` for the query: one more than asked, to know whether a next page exists.
    var sqlLimit: Int { unlimited ? -1 : limit + 1 }

    func page<Item>(_ rows: [(seq: Int64, item: Item)]) -> Page<Item> {
        guard !unlimited, rows.count > limit else { return Page(items: rows.map(\.item), nextCursor: nil) }
        return Page(items: rows.prefix(limit).map(\.item), nextCursor: Cursor.encode(rows[limit - 1].seq))
    }
}

/// Opaque cursors: the last `seq` served, as `c` and hex digits.
public enum Cursor {
    public static func encode(_ seq: Int64) -> String {
        "c" + String(seq, radix: 16)
    }

    public static func decode(_ text: String) -> Int64? {
        guard text.count > 1, text.count <= 17, text.first == "c",
              text.dropFirst().allSatisfy({ $0.isHexDigit && !$0.isUppercase }),
              let value = Int64(text.dropFirst(), radix: 16), value >= 0
        else { return nil }
        return value
    }
}
