import JSON
import Testing

/// One valid JSON text and the value it must parse to.
struct ValidCase: Sendable, CustomTestStringConvertible {
    let input: String
    let expected: JSON
    init(_ input: String, _ expected: JSON) {
        self.input = input
        self.expected = expected
    }
    var testDescription: String { input.debugDescription }
}

let literalCases: [ValidCase] = [
    ValidCase("null", .null),
    ValidCase("true", .bool(true)),
    ValidCase("false", .bool(false)),
    ValidCase("[]", .array([])),
    ValidCase("{}", .object([:])),
    ValidCase("[[]]", [[]]),
    ValidCase("[{}]", [.object([:])]),
    ValidCase("[1,-1,1.5,\"s\",true,false,null]", [1, -1, 1.5, "s", true, false, nil]),
    ValidCase(
        "{\"a\":[1,2,{\"b\":null}],\"c\":{\"d\":true,\"e\":\"f\"}}",
        ["a": [1, 2, ["b": nil]], "c": ["d": true, "e": "f"]]
    ),
]

let numberCases: [ValidCase] = [
    ValidCase("0", .int(0)),
    ValidCase("-0", .int(0)),
    ValidCase("7", .int(7)),
    ValidCase("123", .int(123)),
    ValidCase("-123", .int(-123)),
    ValidCase("9223372036854775807", .int(.max)),
    ValidCase("-9223372036854775808", .int(.min)),
    ValidCase("9223372036854775808", .double(9_223_372_036_854_775_808)),
    ValidCase("-9223372036854775809", .double(-9_223_372_036_854_775_808)),
    ValidCase("18446744073709551616", .double(18_446_744_073_709_551_616)),
    ValidCase("100000000000000000000000", .double(1e23)),
    ValidCase("1.0", .double(1)),
    ValidCase("1.5", .double(1.5)),
    ValidCase("-1.5", .double(-1.5)),
    ValidCase("0.1", .double(0.1)),
    ValidCase("-0.0", .double(0)),
    ValidCase("1e2", .double(100)),
    ValidCase("1E2", .double(100)),
    ValidCase("1e+2", .double(100)),
    ValidCase("1e-2", .double(0.01)),
    ValidCase("-1.5E-3", .double(-0.0015)),
    ValidCase("1.5e3", .double(1500)),
    ValidCase("0e0", .double(0)),
    ValidCase("10e00", .double(10)),
    ValidCase("1e-400", .double(0)),
    ValidCase("1.7976931348623157e308", .double(.greatestFiniteMagnitude)),
    ValidCase("4.9e-324", .double(.leastNonzeroMagnitude)),
    ValidCase("3.141592653589793", .double(3.141592653589793)),
    ValidCase("0.30000000000000004", .double(0.1 + 0.2)),
]

let stringCases: [ValidCase] = [
    ValidCase("\"\"", ""),
    ValidCase("\"abc\"", "abc"),
    ValidCase("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\u{8}\u{C}\n\r\t"),
    ValidCase("\"a\\nb\"", "a\nb"),
    ValidCase("\"\\u0041\"", "A"),
    ValidCase("\"\\u00e9\"", "é"),
    ValidCase("\"\\u00E9\"", "é"),
    ValidCase("\"\\u0000\"", "\u{0}"),
    ValidCase("\"\\u001F\"", "\u{1F}"),
    ValidCase("\"\\u65e5\\u672C\"", "日本"),
    ValidCase("\"\\uffff\"", "\u{FFFF}"),
    ValidCase("\"\\ud83c\\udfad\"", "🎭"),
    ValidCase("\"\\uD83C\\uDFAD\"", "🎭"),
    ValidCase("\"\\udbff\\udfff\"", "\u{10FFFF}"),
    ValidCase("\"x\\u00e9y\\ud83c\\udfadz\\n\"", "xéy🎭z\n"),
    ValidCase("\"é\"", "é"),
    ValidCase("\"日本語\"", "日本語"),
    ValidCase("\"🎭\"", "🎭"),
    ValidCase("\"\u{10FFFF}\"", "\u{10FFFF}"),
    ValidCase("\"\u{7F}\"", "\u{7F}"),
    ValidCase("\"a'b\"", "a'b"),
]

let whitespaceCases: [ValidCase] = [
    ValidCase(" null", .null),
    ValidCase("null ", .null),
    ValidCase(" \t\r\n true \t\r\n", true),
    ValidCase("\n[\n]\n", []),
    ValidCase("[ 1 , 2 ]", [1, 2]),
    ValidCase("{ \"a\" : 1 , \"b\" : [ ] }", ["a": 1, "b": []]),
    ValidCase("\t{\r\n\t\"k\":\t\"v\"\r\n}", ["k": "v"]),
]

@Suite("Parsing valid input")
struct ParseValidTests {
    @Test(arguments: literalCases + numberCases + stringCases + whitespaceCases)
    func parsesToExpectedValue(_ testCase: ValidCase) throws {
        #expect(try JSON.parse(testCase.input) == testCase.expected)
        #expect(try JSON.parse(Array(testCase.input.utf8)) == testCase.expected)
    }

    @Test func keepsIntegersAndDoublesApart() throws {
        #expect(try JSON.parse("1") != .double(1))
        #expect(try JSON.parse("1.0") != .int(1))
        #expect(try JSON.parse("1e0") != .int(1))
    }

    @Test func negativeZero() throws {
        #expect(try JSON.parse("-0") == .int(0))
        #expect(isNegativeDouble(try JSON.parse("-0.0")))
        #expect(isNegativeDouble(try JSON.parse("-0e0")))
        #expect(!isNegativeDouble(try JSON.parse("0.0")))
    }

    @Test func acceptsNonContiguousCollections() throws {
        let text = "{\"a\":[1,\"é\",null]}"
        #expect(try JSON.parse(text.utf8.lazy.map { $0 }) == ["a": [1, "é", nil]])
    }

    @Test func acceptsSlices() throws {
        let bytes = Array("xx[1,2]yy".utf8)
        #expect(try JSON.parse(bytes[2..<7]) == [1, 2])
    }
}
