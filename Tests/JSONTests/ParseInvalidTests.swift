import JSON
import Testing

/// One invalid input and the exact error it must produce.
struct InvalidCase: Sendable, CustomTestStringConvertible {
    let input: [UInt8]
    let expected: JSONParseError
    init(_ input: String, _ offset: Int, _ reason: String) {
        self.init(bytes: Array(input.utf8), offset, reason)
    }
    init(bytes: [UInt8], _ offset: Int, _ reason: String) {
        self.input = bytes
        self.expected = JSONParseError(offset: offset, reason: reason)
    }
    var testDescription: String {
        String(decoding: input, as: UTF8.self).debugDescription + " " + input.description
    }
}

private let end = "unexpected end of input"

let structureCases: [InvalidCase] = [
    InvalidCase("", 0, end),
    InvalidCase("   ", 3, end),
    InvalidCase("[", 1, end),
    InvalidCase("{", 1, end),
    InvalidCase("[1", 2, end),
    InvalidCase("{\"a\"", 4, end),
    InvalidCase("{\"a\":", 5, end),
    InvalidCase("]", 0, "unexpected character ']' where a value was expected"),
    InvalidCase("[1,]", 3, "trailing comma in array"),
    InvalidCase("[1, ]", 4, "trailing comma in array"),
    InvalidCase("[,1]", 1, "unexpected character ',' where a value was expected"),
    InvalidCase("{\"a\":1,}", 7, "trailing comma in object"),
    InvalidCase("{,}", 1, "expected string for object key"),
    InvalidCase("[1 2]", 3, "expected ',' or ']' after array element"),
    InvalidCase("[1:2]", 2, "expected ',' or ']' after array element"),
    InvalidCase("{\"a\" 1}", 5, "expected ':' after object key"),
    InvalidCase("{\"a\"=1}", 4, "expected ':' after object key"),
    InvalidCase("{\"a\":1 \"b\":2}", 7, "expected ',' or '}' after object member"),
    InvalidCase("{\"a\":1]", 6, "expected ',' or '}' after object member"),
    InvalidCase("{1:2}", 1, "expected string for object key"),
    InvalidCase("{'a':1}", 1, "expected string for object key"),
    InvalidCase("{a:1}", 1, "expected string for object key"),
    InvalidCase("{\"a\"}", 4, "expected ':' after object key"),
    InvalidCase("1 2", 2, "unexpected character '2' after JSON value"),
    InvalidCase("null null", 5, "unexpected character 'n' after JSON value"),
    InvalidCase("{}x", 2, "unexpected character 'x' after JSON value"),
    InvalidCase("[]]", 2, "unexpected character ']' after JSON value"),
    InvalidCase("[1],", 3, "unexpected character ',' after JSON value"),
    InvalidCase("\u{FEFF}1", 0, "unexpected byte 0xEF where a value was expected"),
    InvalidCase("\u{0C}1", 0, "unexpected byte 0x0C where a value was expected"),
    InvalidCase("[1,\u{0}2]", 3, "unexpected byte 0x00 where a value was expected"),
    InvalidCase("\u{A0}1", 0, "unexpected byte 0xC2 where a value was expected"),
]

let extensionCases: [InvalidCase] = [
    InvalidCase("// c\n1", 0, "unexpected character '/' where a value was expected"),
    InvalidCase("/* c */ 1", 0, "unexpected character '/' where a value was expected"),
    InvalidCase("[1 /* c */]", 3, "expected ',' or ']' after array element"),
    InvalidCase("1 // c", 2, "unexpected character '/' after JSON value"),
    InvalidCase("# c\n1", 0, "unexpected character '#' where a value was expected"),
    InvalidCase("NaN", 0, "unexpected character 'N' where a value was expected"),
    InvalidCase("[nan]", 1, "invalid literal, expected 'null'"),
    InvalidCase("Infinity", 0, "unexpected character 'I' where a value was expected"),
    InvalidCase("-Infinity", 1, "expected digit after '-'"),
    InvalidCase("undefined", 0, "unexpected character 'u' where a value was expected"),
    InvalidCase("'a'", 0, "unexpected character ''' where a value was expected"),
    InvalidCase("True", 0, "unexpected character 'T' where a value was expected"),
    InvalidCase("trux", 0, "invalid literal, expected 'true'"),
    InvalidCase("nulL", 0, "invalid literal, expected 'null'"),
    InvalidCase("falsy", 0, "invalid literal, expected 'false'"),
    InvalidCase("tru", 3, end),
    InvalidCase("nul", 3, end),
    InvalidCase("fals", 4, end),
    InvalidCase("truefalse", 4, "unexpected character 'f' after JSON value"),
    InvalidCase("[true false]", 6, "expected ',' or ']' after array element"),
]

let numberErrorCases: [InvalidCase] = [
    InvalidCase("01", 0, "leading zeros are not allowed"),
    InvalidCase("00", 0, "leading zeros are not allowed"),
    InvalidCase("-01", 1, "leading zeros are not allowed"),
    InvalidCase("[01]", 1, "leading zeros are not allowed"),
    InvalidCase("0123.5", 0, "leading zeros are not allowed"),
    InvalidCase("+1", 0, "unexpected character '+' where a value was expected"),
    InvalidCase(".5", 0, "unexpected character '.' where a value was expected"),
    InvalidCase("-.5", 1, "expected digit after '-'"),
    InvalidCase("1.", 2, end),
    InvalidCase("[1.]", 3, "expected digit after decimal point"),
    InvalidCase("1.e5", 2, "expected digit after decimal point"),
    InvalidCase("1.5.2", 3, "unexpected character '.' after JSON value"),
    InvalidCase("1e", 2, end),
    InvalidCase("1ex", 2, "expected digit in exponent"),
    InvalidCase("1e+", 3, end),
    InvalidCase("1e+x", 3, "expected digit in exponent"),
    InvalidCase("1e++1", 3, "expected digit in exponent"),
    InvalidCase("1e1.5", 3, "unexpected character '.' after JSON value"),
    InvalidCase("-", 1, end),
    InvalidCase("-x", 1, "expected digit after '-'"),
    InvalidCase("--1", 1, "expected digit after '-'"),
    InvalidCase("- 1", 1, "expected digit after '-'"),
    InvalidCase("0x10", 1, "unexpected character 'x' after JSON value"),
    InvalidCase("1_000", 1, "unexpected character '_' after JSON value"),
    InvalidCase("1e400", 0, "number out of range"),
    InvalidCase("-1e400", 0, "number out of range"),
    InvalidCase("[1.8e308]", 1, "number out of range"),
    InvalidCase("1" + String(repeating: "0", count: 400), 0, "number out of range"),
]

let stringErrorCases: [InvalidCase] = [
    InvalidCase("\"abc", 4, end),
    InvalidCase("\"", 1, end),
    InvalidCase("\"a\u{1}b\"", 2, "unescaped control character in string"),
    InvalidCase("\"a\nb\"", 2, "unescaped control character in string"),
    InvalidCase("\"\t\"", 1, "unescaped control character in string"),
    InvalidCase("\"\u{0}\"", 1, "unescaped control character in string"),
    InvalidCase("\"\u{1F}\"", 1, "unescaped control character in string"),
    InvalidCase("\"\\u0041\u{1F}\"", 7, "unescaped control character in string"),
    InvalidCase("\"\\x\"", 1, "invalid escape sequence"),
    InvalidCase("\"\\'\"", 1, "invalid escape sequence"),
    InvalidCase("\"ab\\U0041\"", 3, "invalid escape sequence"),
    InvalidCase("\"\\0\"", 1, "invalid escape sequence"),
    InvalidCase("\"\\u12\"", 1, "invalid \\u escape"),
    InvalidCase("\"\\u12G4\"", 1, "invalid \\u escape"),
    InvalidCase("\"\\u-123\"", 1, "invalid \\u escape"),
    InvalidCase("\"\\ud83c\"", 1, "lone surrogate in \\u escape"),
    InvalidCase("\"\\udfad\"", 1, "lone surrogate in \\u escape"),
    InvalidCase("\"\\udfad\\ud83c\"", 1, "lone surrogate in \\u escape"),
    InvalidCase("\"\\ud83cx\"", 1, "lone surrogate in \\u escape"),
    InvalidCase("\"\\ud83c\\n\"", 1, "lone surrogate in \\u escape"),
    InvalidCase("\"\\ud83c\\u0041\"", 1, "lone surrogate in \\u escape"),
    InvalidCase("\"\\ud83c\\ud83c\"", 1, "lone surrogate in \\u escape"),
    InvalidCase("\"ok\\ud83c\\udfad\\ud83c\"", 15, "lone surrogate in \\u escape"),
    InvalidCase("\"\\ud83c\\uzzzz\"", 7, "invalid \\u escape"),
]

let utf8ErrorCases: [InvalidCase] = [
    InvalidCase(bytes: [0x22, 0x80, 0x22], 1, "invalid UTF-8"),
    InvalidCase(bytes: [0x22, 0xBF, 0x22], 1, "invalid UTF-8"),
    InvalidCase(bytes: [0x22, 0xC0, 0xAF, 0x22], 1, "invalid UTF-8"),
    InvalidCase(bytes: [0x22, 0xC1, 0xBF, 0x22], 1, "invalid UTF-8"),
    InvalidCase(bytes: [0x22, 0xC3, 0x22], 1, "invalid UTF-8"),
    InvalidCase(bytes: [0x22, 0x61, 0xC3, 0x41, 0x22], 2, "invalid UTF-8"),
    InvalidCase(bytes: [0x22, 0xE0, 0x80, 0xAF, 0x22], 1, "invalid UTF-8"),
    InvalidCase(bytes: [0x22, 0xE2, 0x82, 0x22], 1, "invalid UTF-8"),
    InvalidCase(bytes: [0x22, 0xED, 0xA0, 0x80, 0x22], 1, "invalid UTF-8"),
    InvalidCase(bytes: [0x22, 0xED, 0xBF, 0xBF, 0x22], 1, "invalid UTF-8"),
    InvalidCase(bytes: [0x22, 0xF0, 0x80, 0x80, 0x80, 0x22], 1, "invalid UTF-8"),
    InvalidCase(bytes: [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1, "invalid UTF-8"),
    InvalidCase(bytes: [0x22, 0xF0, 0x9F, 0x8E, 0x22], 1, "invalid UTF-8"),
    InvalidCase(bytes: [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], 1, "invalid UTF-8"),
    InvalidCase(bytes: [0x22, 0xFE, 0x22], 1, "invalid UTF-8"),
    InvalidCase(bytes: [0x22, 0xFF, 0x22], 1, "invalid UTF-8"),
    InvalidCase(bytes: [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D], 2, "invalid UTF-8"),
    InvalidCase(bytes: [0x22, 0xC3], 2, end),
    InvalidCase(bytes: [0x22, 0xF0, 0x9F, 0x8E], 4, end),
    InvalidCase(bytes: [0xFF], 0, "unexpected byte 0xFF where a value was expected"),
    InvalidCase(bytes: [0x5B, 0x31, 0x80, 0x5D], 2, "expected ',' or ']' after array element"),
]

let duplicateKeyCases: [InvalidCase] = [
    InvalidCase("{\"name\":1,\"name\":2}", 10, "duplicate key \"name\""),
    InvalidCase("{\"a\":1,\"b\":2,\"a\":3}", 13, "duplicate key \"a\""),
    InvalidCase("{\"a\":1,\"\\u0061\":2}", 7, "duplicate key \"a\""),
    InvalidCase("[{\"x\":{\"k\":1,\"k\":1}}]", 13, "duplicate key \"k\""),
    InvalidCase("{\"\":1,\"\":2}", 6, "duplicate key \"\""),
    InvalidCase(
        "{" + (0..<20).map { "\"k\($0)\":\($0)," }.joined() + "\"k13\":0}",
        1 + (0..<20).map { "\"k\($0)\":\($0),".utf8.count }.reduce(0, +),
        "duplicate key \"k13\""
    ),
]

@Suite("Parsing invalid input")
struct ParseInvalidTests {
    @Test(arguments: structureCases + extensionCases + numberErrorCases)
    func rejectsSyntax(_ testCase: InvalidCase) {
        #expect(parseError(testCase.input) == testCase.expected)
    }

    @Test(arguments: stringErrorCases + utf8ErrorCases)
    func rejectsBadStrings(_ testCase: InvalidCase) {
        #expect(parseError(testCase.input) == testCase.expected)
    }

    @Test(arguments: duplicateKeyCases)
    func rejectsDuplicateKeys(_ testCase: InvalidCase) {
        #expect(parseError(testCase.input) == testCase.expected)
    }

    @Test func describesErrorWithOffsetAndReason() {
        let error = parseError("{\"a\" 1}")
        #expect(error?.description == "invalid JSON at byte 5: expected ':' after object key")
    }
}
