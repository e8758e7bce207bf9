/// An insertion-ordered JSON object: unique string keys, each mapped to a `JSON` value.
///
/// Iteration, `keys` and serialization follow insertion order. Replacing the value of
/// an existing key keeps its position; removing a key closes the gap.
/// Equality and hashing ignore order, as JSON objects are unordered (RFC 8259 §4).
/// Keys are compared as Swift `String`s, i.e. by Unicode canonical equivalence.
///
/// Small objects are searched linearly; larger ones keep a hash index.
public struct JSONObject: Sendable {
    /// The key/value pairs in insertion order.
    private var entries: [(key: String, value: JSON)] = []
    /// Position of each key in `entries`; empty while `entries.count <= linearScanLimit`.
    private var index: [String: Int] = [:]

    /// Objects up to this size are searched linearly and keep no index.
    private static let linearScanLimit = 8

    /// Creates an empty object.
    public init() {}

    /// Creates an object from `pairs` in order. When a key repeats, the later value
    /// replaces the earlier one at the earlier position.
    public init(_ pairs: [(String, JSON)]) {
        entries.reserveCapacity(pairs.count)
        for (key, value) in pairs {
            self[key] = value
        }
    }

    /// The value for `key`, or `nil`. Setting `nil` removes the key; setting a value
    /// for an existing key replaces it in place; a new key is appended.
    public subscript(key: String) -> JSON? {
        get {
            position(of: key).map { entries[$0].value }
        }
        set {
            switch (position(of: key), newValue) {
            case let (position?, value?):
                entries[position].value = value
            case let (nil, value?):
                appendNew(key: key, value: value)
            case let (position?, nil):
                remove(at: position)
            case (nil, nil):
                break
            }
        }
    }

    /// The keys in insertion order.
    public var keys: [String] { entries.map(\.key) }

    /// The number of key/value pairs.
    public var count: Int { entries.count }

    /// Whether the object has no keys.
    public var isEmpty: Bool { entries.isEmpty }

    /// Removes `key` and returns its value, or returns `nil` if it was absent.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSON? {
        guard let position = position(of: key) else { return nil }
        return remove(at: position)
    }

    /// The position of `key` in insertion order, or `nil`.
    func position(of key: String) -> Int? {
        if entries.count > Self.linearScanLimit {
            return index[key]
        }
        return entries.firstIndex { $0.key == key }
    }

    /// Appends a pair whose key the caller knows to be absent.
    mutating func appendNew(key: String, value: JSON) {
        entries.append((key, value))
        if entries.count > Self.linearScanLimit {
            if index.isEmpty {
                rebuildIndex()
            } else {
                index[key] = entries.count - 1
            }
        }
    }

    /// Removes the pair at `position`, keeping the index consistent.
    @discardableResult
    private mutating func remove(at position: Int) -> JSON {
        let removed = entries.remove(at: position).value
        if entries.count > Self.linearScanLimit {
            rebuildIndex()
        } else {
            index = [:]
        }
        return removed
    }

    /// Recomputes `index` from `entries`.
    private mutating func rebuildIndex() {
        index = Dictionary(uniqueKeysWithValues: entries.indices.map { (entries[$0].key, $0) })
    }
}

extension JSONObject: Sequence {
    /// Iterates the pairs in insertion order.
    public func makeIterator() -> IndexingIterator<[(key: String, value: JSON)]> {
        entries.makeIterator()
    }

    /// The number of pairs.
    public var underestimatedCount: Int { entries.count }
}

extension JSONObject: Hashable {
    /// Whether both objects hold the same keys with equal values, in any order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.entries.allSatisfy { rhs[$0.key] == $0.value }
    }

    /// Hashes the pairs independently of their order.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for (key, value) in entries {
            var pairHasher = Hasher()
            pairHasher.combine(key)
            pairHasher.combine(value)
            combined ^= pairHasher.finalize()
        }
        hasher.combine(entries.count)
        hasher.combine(combined)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Creates an object from a literal; a repeated key behaves as in `init(_:)`.
    public init(dictionaryLiteral elements: (String, JSON)...) {
        self.init(elements)
    }
}
