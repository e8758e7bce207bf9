extension JSON: CustomStringConvertible {
    /// The compact JSON text of this value, without spaces, object keys in stored order.
    public func serialized() -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(64)
        write(to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Same as `serialized()`.
    public var description: String { serialized() }

    /// Appends the UTF-8 bytes of `serialized()` to `buffer`.
    ///
    /// Doubles use Swift's shortest round-trip form (`1.0`, `1e-05`); a non-finite
    /// double, which JSON cannot express, is written as `null`.
    public func write(to buffer: inout [UInt8]) {
        switch self {
        case .null:
            buffer.append(contentsOf: "null".utf8)
        case .bool(let value):
            buffer.append(contentsOf: value ? "true".utf8 : "false".utf8)
        case .int(let value):
            buffer.append(contentsOf: value.description.utf8)
        case .double(let value):
            buffer.append(contentsOf: value.isFinite ? value.description.utf8 : "null".utf8)
        case .string(let value):
            JSONStringEscaper.write(value, to: &buffer)
        case .array(let elements):
            buffer.append(UInt8(ascii: "["))
            for (offset, element) in elements.enumerated() {
                if offset > 0 { buffer.append(UInt8(ascii: ",")) }
                element.write(to: &buffer)
            }
            buffer.append(UInt8(ascii: "]"))
        case .object(let members):
            buffer.append(UInt8(ascii: "{"))
            var first = true
            for (key, value) in members {
                if !first { buffer.append(UInt8(ascii: ",")) }
                first = false
                JSONStringEscaper.write(key, to: &buffer)
                buffer.append(UInt8(ascii: ":"))
                value.write(to: &buffer)
            }
            buffer.append(UInt8(ascii: "}"))
        }
    }
}
