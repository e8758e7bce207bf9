/// A strict RFC 8259 recursive-descent parser over a contiguous UTF-8 buffer.
///
/// Every error that arises because the input stops too early is reported as
/// `unexpected end of input` at `bytes.count`, so any truncated document fails
/// the same way.
struct JSONParser {
    /// The whole input.
    let bytes: UnsafeBufferPointer<UInt8>
    /// Offset of the next unread byte.
    var position = 0
    /// Number of arrays and objects currently open.
    var depth = 0

    /// Parses the whole buffer as one JSON text.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSON {
        var parser = JSONParser(bytes: bytes)
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.position == bytes.count else {
            throw parser.unexpectedByte("after JSON value")
        }
        return value
    }

    /// Parses one value after optional leading whitespace.
    mutating func parseValue() throws(JSONParseError) -> JSON {
        skipWhitespace()
        switch try currentByte() {
        case UInt8(ascii: "{"): return .object(try parseObject())
        case UInt8(ascii: "["): return .array(try parseArray())
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case UInt8(ascii: "t"): try parseLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try parseLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try parseLiteral("null"); return .null
        default: throw unexpectedByte("where a value was expected")
        }
    }

    /// Parses an array starting at its `[`.
    private mutating func parseArray() throws(JSONParseError) -> [JSON] {
        try enterContainer()
        skipWhitespace()
        var elements: [JSON] = []
        if try currentByte() == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return elements
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            switch try currentByte() {
            case UInt8(ascii: ","):
                position += 1
                skipWhitespace()
                if try currentByte() == UInt8(ascii: "]") {
                    throw error("trailing comma in array")
                }
            case UInt8(ascii: "]"):
                position += 1
                depth -= 1
                return elements
            default:
                throw error("expected ',' or ']' after array element")
            }
        }
    }

    /// Parses an object starting at its `{`, rejecting duplicate keys.
    private mutating func parseObject() throws(JSONParseError) -> JSONObject {
        try enterContainer()
        skipWhitespace()
        var members = JSONObject()
        if try currentByte() == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return members
        }
        while true {
            guard try currentByte() == UInt8(ascii: "\"") else {
                throw error("expected string for object key")
            }
            let keyOffset = position
            let key = try parseString()
            guard members.position(of: key) == nil else {
                throw JSONParseError(offset: keyOffset, reason: "duplicate key \"\(key)\"")
            }
            skipWhitespace()
            guard try currentByte() == UInt8(ascii: ":") else {
                throw error("expected ':' after object key")
            }
            position += 1
            members.appendNew(key: key, value: try parseValue())
            skipWhitespace()
            switch try currentByte() {
            case UInt8(ascii: ","):
                position += 1
                skipWhitespace()
                if try currentByte() == UInt8(ascii: "}") {
                    throw error("trailing comma in object")
                }
            case UInt8(ascii: "}"):
                position += 1
                depth -= 1
                return members
            default:
                throw error("expected ',' or '}' after object member")
            }
        }
    }

    /// Consumes an opening bracket, enforcing `JSON.maximumNestingDepth`.
    private mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        guard depth <= JSON.maximumNestingDepth else {
            throw error("nesting depth exceeds \(JSON.maximumNestingDepth)")
        }
        position += 1
    }

    /// Consumes `literal`, whose first byte is known to be current.
    private mutating func parseLiteral(_ literal: StaticString) throws(JSONParseError) {
        let start = position
        for offset in 1..<literal.utf8CodeUnitCount {
            position = start + offset
            guard try currentByte() == literal.utf8Start[offset] else {
                throw JSONParseError(offset: start, reason: "invalid literal, expected '\(literal)'")
            }
        }
        position = start + literal.utf8CodeUnitCount
    }

    /// Skips the four RFC 8259 whitespace bytes: space, tab, line feed, carriage return.
    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                position += 1
            default:
                return
            }
        }
    }

    /// The byte at `position`; throws `unexpected end of input` if there is none.
    func currentByte() throws(JSONParseError) -> UInt8 {
        guard position < bytes.count else {
            throw JSONParseError(offset: bytes.count, reason: "unexpected end of input")
        }
        return bytes[position]
    }

    /// An error at the current position.
    func error(_ reason: String) -> JSONParseError {
        JSONParseError(offset: position, reason: reason)
    }

    /// An error naming the byte at the current position, e.g. `unexpected character '/' …`.
    func unexpectedByte(_ context: String) -> JSONParseError {
        let byte = bytes[position]
        let shown = (0x21...0x7E).contains(byte)
            ? "character '\(Character(Unicode.Scalar(byte)))'"
            : "byte 0x\(byte < 0x10 ? "0" : "")\(String(byte, radix: 16, uppercase: true))"
        return error("unexpected \(shown) \(context)")
    }
}
