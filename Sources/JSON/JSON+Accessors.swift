extension JSON {
    /// The payload of a `.string`, else `nil`.
    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    /// The payload of an `.int`, else `nil` (a `.double` never converts).
    public var intValue: Int64? {
        if case .int(let value) = self { value } else { nil }
    }

    /// The payload of a `.double`, or an `.int` converted to `Double`, else `nil`.
    public var doubleValue: Double? {
        switch self {
        case .double(let value): value
        case .int(let value): Double(value)
        default: nil
        }
    }

    /// The payload of a `.bool`, else `nil`.
    public var boolValue: Bool? {
        if case .bool(let value) = self { value } else { nil }
    }

    /// The elements of an `.array`, else `nil`.
    public var arrayValue: [JSON]? {
        if case .array(let value) = self { value } else { nil }
    }

    /// The payload of an `.object`, else `nil`.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { value } else { nil }
    }

    /// Whether this is `.null`.
    public var isNull: Bool { self == .null }

    /// The value, or nil for JSON `null`: an explicit null reads as absent.
    /// Spelled `Optional.none` on purpose: `JSON` is `ExpressibleByNilLiteral`,
    /// so in `isNull ? nil : self` the `nil` is `JSON.null` again.
    public var nonNull: JSON? { isNull ? Optional.none : self }

    /// The member `key` of an `.object`; `nil` if absent or if this is not an object.
    public subscript(key: String) -> JSON? {
        objectValue?[key]
    }
}
