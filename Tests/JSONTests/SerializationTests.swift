import JSON
import Testing

/// A value and its exact compact serialization.
struct SerializationCase: Sendable, CustomTestStringConvertible {
    let value: JSON
    let expected: String
    init(_ value: JSON, _ expected: String) {
        self.value = value
        self.expected = expected
    }
    var testDescription: String { expected }
}

let serializationCases: [SerializationCase] = [
    SerializationCase(nil, "null"),
    SerializationCase(true, "true"),
    SerializationCase(false, "false"),
    SerializationCase(.int(0), "0"),
    SerializationCase(.int(-42), "-42"),
    SerializationCase(.int(.max), "9223372036854775807"),
    SerializationCase(.int(.min), "-9223372036854775808"),
    SerializationCase(.double(1.5), "1.5"),
    SerializationCase(.double(1), "1.0"),
    SerializationCase(.double(-0.0), "-0.0"),
    SerializationCase(.double(0.1), "0.1"),
    SerializationCase(.double(1e-5), "1e-05"),
    SerializationCase(.double(1e21), "1e+21"),
    SerializationCase(.double(.greatestFiniteMagnitude), "1.7976931348623157e+308"),
    SerializationCase(.double(.leastNonzeroMagnitude), "5e-324"),
    SerializationCase(.double(.infinity), "null"),
    SerializationCase(.double(-.infinity), "null"),
    SerializationCase(.double(.nan), "null"),
    SerializationCase([.double(.nan), 1], "[null,1]"),
    SerializationCase("", "\"\""),
    SerializationCase("plain", "\"plain\""),
    SerializationCase("a\"b\\c", "\"a\\\"b\\\\c\""),
    SerializationCase("\n\r\t\u{8}\u{C}", "\"\\n\\r\\t\\b\\f\""),
    SerializationCase("\u{0}\u{1}\u{1F}\u{B}", "\"\\u0000\\u0001\\u001f\\u000b\""),
    SerializationCase("a\u{1B}[0m", "\"a\\u001b[0m\""),
    SerializationCase("/", "\"/\""),
    SerializationCase("\u{7F}", "\"\u{7F}\""),
    SerializationCase("é🎭日本", "\"é🎭日本\""),
    SerializationCase([], "[]"),
    SerializationCase([:], "{}"),
    SerializationCase([[], [:]], "[[],{}]"),
    SerializationCase([1, "a", nil, true, 2.5], "[1,\"a\",null,true,2.5]"),
    SerializationCase(["z": 1, "a": 2, "m": 3], "{\"z\":1,\"a\":2,\"m\":3}"),
    SerializationCase(["k\n": ["x": [nil]]], "{\"k\\n\":{\"x\":[null]}}"),
]

@Suite("Serialization")
struct SerializationTests {
    @Test(arguments: serializationCases)
    func serializesCompactly(_ testCase: SerializationCase) {
        #expect(testCase.value.serialized() == testCase.expected)
        #expect(testCase.value.description == testCase.expected)
    }

    @Test func writeAppendsToBuffer() {
        var buffer = Array("x".utf8)
        JSON.array([1, "é"]).write(to: &buffer)
        #expect(buffer == Array("x[1,\"é\"]".utf8))
    }

    @Test(arguments: 0..<0x20)
    func escapesEveryControlCharacter(_ code: Int) throws {
        let string = "a" + String(Unicode.Scalar(UInt8(code))) + "b"
        let text = JSON.string(string).serialized()
        #expect(text.utf8.allSatisfy { $0 >= 0x20 })
        #expect(text.count == (["\n", "\r", "\t", "\u{8}", "\u{C}"].contains(Character(Unicode.Scalar(UInt8(code)))) ? 6 : 10))
        #expect(try JSON.parse(text) == .string(string))
    }

    @Test func preservesKeyOrder() throws {
        let text = "{\"zeta\":1,\"alpha\":2,\"mid\":{\"y\":1,\"b\":2},\"beta\":3}"
        let value = try JSON.parse(text)
        #expect(value.objectValue?.keys == ["zeta", "alpha", "mid", "beta"])
        #expect(value.serialized() == text)
    }
}
