/// Why and where `JSON.parse` rejected its input.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Zero-based byte offset into the input at which the problem was detected.
    public let offset: Int
    /// A short human-readable explanation, e.g. `expected ':' after object key`.
    public let reason: String

    /// Creates an error at `offset` with the given `reason`.
    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    /// `invalid JSON at byte <offset>: <reason>`.
    public var description: String {
        "invalid JSON at byte \(offset): \(reason)"
    }
}
