import Registry

/// The decoded `name=value` pairs of a query string (`+` as space, `%XX` as UTF-8).
///
/// Every parameter of this API takes one value, so a name given twice is
/// refused rather than silently read as its first value; so is a pair whose
/// percent-encoding is broken or does not decode to UTF-8.
struct QueryParameters {
    private var values: [String: String] = [:]

    init(_ query: Substring?) throws(APIError) {
        guard let query else { return }
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), let value = parts.count > 1 ? Self.decode(parts[1]) : "" else {
                throw .badRequest("The query string is not valid percent-encoded UTF-8.",
                                  errors: [FieldError(field: String(parts[0].prefix(100)), message: "not valid percent-encoded UTF-8")])
            }
            guard values[name] == nil else {
                throw .badRequest("\(name) is given more than once.", errors: [FieldError(field: name, message: "given more than once")])
            }
            values[name] = value
        }
    }

    subscript(name: String) -> String? { values[name] }

    private static func decode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (HTTP's optional whitespace).
    func trimmingSpaces() -> String {
        var text = Substring(self)
        while let c = text.first, c == " " || c == "\t" { text.removeFirst() }
        while let c = text.last, c == " " || c == "\t" { text.removeLast() }
        return String(text)
    }
}
