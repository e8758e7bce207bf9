extension JSONParser {
    /// Parses a string literal starting at its opening quote.
    ///
    /// Runs of plain bytes are validated in place and decoded in one step; a scratch
    /// buffer is used only once an escape sequence appears.
    mutating func parseString() throws(JSONParseError) -> String {
        position += 1
        var runStart = position
        var unescaped: [UInt8] = []
        var hasEscapes = false
        while true {
            let byte = try currentByte()
            switch byte {
            case UInt8(ascii: "\""):
                let run = UnsafeBufferPointer(rebasing: bytes[runStart..<position])
                position += 1
                guard hasEscapes else { return String(decoding: run, as: UTF8.self) }
                unescaped.append(contentsOf: run)
                return String(decoding: unescaped, as: UTF8.self)
            case UInt8(ascii: "\\"):
                hasEscapes = true
                unescaped.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                try parseEscape(into: &unescaped)
                runStart = position
            case 0x00..<0x20:
                throw error("unescaped control character in string")
            case 0x20..<0x80:
                position += 1
            default:
                try skipMultiByteScalar()
            }
        }
    }

    /// Decodes the escape sequence at `position` (a backslash) into UTF-8.
    private mutating func parseEscape(into buffer: inout [UInt8]) throws(JSONParseError) {
        let escapeStart = position
        position += 1
        let replacement: UInt8
        switch try currentByte() {
        case UInt8(ascii: "\""): replacement = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): replacement = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): replacement = UInt8(ascii: "/")
        case UInt8(ascii: "b"): replacement = 0x08
        case UInt8(ascii: "f"): replacement = 0x0C
        case UInt8(ascii: "n"): replacement = 0x0A
        case UInt8(ascii: "r"): replacement = 0x0D
        case UInt8(ascii: "t"): replacement = 0x09
        case UInt8(ascii: "u"):
            position += 1
            let scalar = try parseUnicodeEscape(escapeStart: escapeStart)
            buffer.append(contentsOf: UTF8.encode(scalar)!)
            return
        default:
            throw JSONParseError(offset: escapeStart, reason: "invalid escape sequence")
        }
        buffer.append(replacement)
        position += 1
    }

    /// Parses the hex digits of a `\u` escape (and the low half of a surrogate pair).
    private mutating func parseUnicodeEscape(escapeStart: Int) throws(JSONParseError) -> Unicode.Scalar {
        let unit = try parseHexQuad(escapeStart: escapeStart)
        switch unit {
        case 0xD800..<0xDC00:
            let lowStart = position
            guard try currentByte() == UInt8(ascii: "\\") else { throw loneSurrogate(at: escapeStart) }
            position += 1
            guard try currentByte() == UInt8(ascii: "u") else { throw loneSurrogate(at: escapeStart) }
            position += 1
            let low = try parseHexQuad(escapeStart: lowStart)
            guard (0xDC00..<0xE000).contains(low) else { throw loneSurrogate(at: escapeStart) }
            let combined = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            return Unicode.Scalar(combined)!
        case 0xDC00..<0xE000:
            throw loneSurrogate(at: escapeStart)
        default:
            return Unicode.Scalar(unit)!
        }
    }

    /// The error for a surrogate `\u` escape without its other half.
    private func loneSurrogate(at offset: Int) -> JSONParseError {
        JSONParseError(offset: offset, reason: "lone surrogate in \\u escape")
    }

    /// Consumes exactly four hex digits.
    private mutating func parseHexQuad(escapeStart: Int) throws(JSONParseError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = try currentByte()
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONParseError(offset: escapeStart, reason: "invalid \\u escape")
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }

    /// Validates and consumes one multi-byte UTF-8 sequence (RFC 3629 §4): no
    /// overlong forms, no surrogates, nothing above U+10FFFF.
    private mutating func skipMultiByteScalar() throws(JSONParseError) {
        let start = position
        let length: Int
        let secondByteRange: ClosedRange<UInt8>
        switch bytes[start] {
        case 0xC2...0xDF: (length, secondByteRange) = (2, 0x80...0xBF)
        case 0xE0: (length, secondByteRange) = (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (length, secondByteRange) = (3, 0x80...0xBF)
        case 0xED: (length, secondByteRange) = (3, 0x80...0x9F)
        case 0xF0: (length, secondByteRange) = (4, 0x90...0xBF)
        case 0xF1...0xF3: (length, secondByteRange) = (4, 0x80...0xBF)
        case 0xF4: (length, secondByteRange) = (4, 0x80...0x8F)
        default: throw error("invalid UTF-8")
        }
        for offset in 1..<length {
            position = start + offset
            let allowed = offset == 1 ? secondByteRange : 0x80...0xBF
            guard allowed.contains(try currentByte()) else {
                throw JSONParseError(offset: start, reason: "invalid UTF-8")
            }
        }
        position = start + length
    }
}
