import JSON
import Testing

let allControlCharacters = String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) })

let roundTripValues: [JSON] = [
    nil, true, false,
    .int(0), .int(1), .int(-1), .int(.max), .int(.min),
    .double(0), .double(-0.0), .double(0.1), .double(1.0 / 3), .double(-2.5), .double(123456789.123),
    .double(1e-7), .double(1e300), .double(-1e-300), .double(9_007_199_254_740_994),
    .double(.greatestFiniteMagnitude), .double(.leastNonzeroMagnitude), .double(.leastNormalMagnitude),
    "", "plain", "quote\" backslash\\ slash/", .string(allControlCharacters),
    "é日本🎭\u{10FFFF}\u{FFFF}\u{7F}", "\u{0}", "e\u{301}",
    [], [:], [[[]]], [1, "two", 3.0, nil, [false]],
    ["name": "Entente", "count": 3, "ratio": 0.5, "tags": ["a", "b"], "owner": nil, "nested": ["x": ["y": [:]]]],
    ["": "empty key", "\n": "newline key", "🎭": "emoji key"],
    .object(JSONObject((0..<50).map { ("key\($0)", .int(Int64($0))) })),
]

@Suite("Round trips")
struct RoundTripTests {
    @Test(arguments: roundTripValues)
    func parseOfSerializedIsIdentity(_ value: JSON) throws {
        let text = value.serialized()
        let reparsed = try JSON.parse(text)
        #expect(reparsed == value)
        #expect(reparsed.serialized() == text)
    }

    @Test func negativeZeroKeepsItsSign() throws {
        #expect(isNegativeDouble(try JSON.parse(JSON.double(-0.0).serialized())))
    }
}
