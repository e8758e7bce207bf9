/// RFC 8785 (JSON Canonicalization Scheme): one byte sequence per value, so a
/// digest of it can be recomputed by anyone holding the same JSON.
extension JSON {
    /// The JCS text of this value: no whitespace, object members sorted by
    /// their keys' UTF-16 code units, numbers as ECMAScript writes them,
    /// strings with the minimal escapes (the same as `serialized()`).
    public func canonicalSerialized() -> String {
        var buffer: [UInt8] = []
        writeCanonical(to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    private func writeCanonical(to buffer: inout [UInt8]) {
        switch self {
        case .double(let value):
            buffer.append(contentsOf: Self.ecmaScriptNumber(value).utf8)
        case .array(let elements):
            buffer.append(UInt8(ascii: "["))
            for (offset, element) in elements.enumerated() {
                if offset > 0 { buffer.append(UInt8(ascii: ",")) }
                element.writeCanonical(to: &buffer)
            }
            buffer.append(UInt8(ascii: "]"))
        case .object(let members):
            buffer.append(UInt8(ascii: "{"))
            let sorted = members.map { ($0.key, $0.value) }.sorted { $0.0.utf16.lexicographicallyPrecedes($1.0.utf16) }
            for (offset, (key, value)) in sorted.enumerated() {
                if offset > 0 { buffer.append(UInt8(ascii: ",")) }
                JSONStringEscaper.write(key, to: &buffer)
                buffer.append(UInt8(ascii: ":"))
                value.writeCanonical(to: &buffer)
            }
            buffer.append(UInt8(ascii: "}"))
        case .null, .bool, .int, .string:
            write(to: &buffer)
        }
    }

    /// ECMAScript's Number::toString for a finite double: integers without a
    /// fraction below 1e21, the shortest round-trip digits otherwise, and
    /// exponents written `e-7` / `e+21` (Swift writes `1e-07`).
    static func ecmaScriptNumber(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == 0 { return "0" }
        if value == value.rounded(), abs(value) < 1e21 {
            if abs(value) < 9.007_199_254_740_992e15 { return String(Int64(value)) }
        }
        // Shortest digits and exponent from Swift's round-trip description.
        let text = "\(abs(value))"
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var digits = String(mantissa.filter { $0 != "." })
        let point = (mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count) + exponent
        // Strip leading zeros (moving the point) and trailing zeros.
        var pointPosition = point
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        let k = digits.count
        let n = pointPosition
        var result: String
        if k <= n && n <= 21 {
            result = digits + String(repeating: "0", count: n - k)
        } else if 0 < n && n <= 21 {
            result = String(digits.prefix(n)) + "." + String(digits.dropFirst(n))
        } else if -6 < n && n <= 0 {
            result = "0." + String(repeating: "0", count: -n) + digits
        } else {
            let e = n - 1
            let sign = e < 0 ? "-" : "+"
            result = String(digits.prefix(1)) + (k > 1 ? "." + String(digits.dropFirst()) : "") + "e" + sign + String(abs(e))
        }
        return value < 0 ? "-" + result : result
    }
}
