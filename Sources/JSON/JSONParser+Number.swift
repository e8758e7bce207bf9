extension JSONParser {
    /// Parses a number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    ///
    /// An integer literal that fits `Int64` becomes `.int`; anything else becomes a
    /// correctly rounded `.double`, and a magnitude beyond `Double` is an error.
    mutating func parseNumber() throws(JSONParseError) -> JSON {
        let start = position
        let isNegative = bytes[position] == UInt8(ascii: "-")
        if isNegative { position += 1 }
        let integerStart = position
        switch try currentByte() {
        case UInt8(ascii: "0"):
            position += 1
            if position < bytes.count, isDigit(bytes[position]) {
                throw JSONParseError(offset: integerStart, reason: "leading zeros are not allowed")
            }
        case UInt8(ascii: "1")...UInt8(ascii: "9"):
            skipDigits()
        default:
            throw error("expected digit after '-'")
        }
        let integerEnd = position
        var isInteger = true
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            try requireDigit("expected digit after decimal point")
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            position += 1
            if try currentByte() == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            try requireDigit("expected digit in exponent")
        }
        if isInteger, let value = int64(digitsFrom: integerStart, to: integerEnd, negative: isNegative) {
            return .int(value)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw JSONParseError(offset: start, reason: "number out of range")
        }
        return .double(value)
    }

    /// Consumes one or more digits, or throws `reason` if there is none.
    private mutating func requireDigit(_ reason: String) throws(JSONParseError) {
        guard isDigit(try currentByte()) else { throw error(reason) }
        skipDigits()
    }

    /// Consumes zero or more digits.
    private mutating func skipDigits() {
        while position < bytes.count, isDigit(bytes[position]) {
            position += 1
        }
    }

    /// Whether `byte` is an ASCII decimal digit.
    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    /// The value of the validated decimal digits `bytes[from..<to]`, or `nil` if it
    /// does not fit `Int64`. Accumulates negatively so that `Int64.min` fits.
    private func int64(digitsFrom from: Int, to: Int, negative: Bool) -> Int64? {
        var value: Int64 = 0
        for offset in from..<to {
            let digit = Int64(bytes[offset] &- UInt8(ascii: "0"))
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.subtractingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            value = next
        }
        if negative { return value }
        return value == .min ? nil : -value
    }
}
