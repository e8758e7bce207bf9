import XCTest
import JSON

/// RFC 8785 (JSON Canonicalization Scheme), as `canonicalSerialized()` writes
/// it: the bytes a `text_sha256` is computed over (docs/signatures.md).
final class CanonicalSerializationTests: XCTestCase {
    private func parsed(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> JSON {
        do {
            return try JSON.parse(text)
        } catch {
            XCTFail("could not parse \(text): \(error)", file: file, line: line)
            return .null
        }
    }

    // MARK: - Numbers: ECMAScript's Number::toString

    func testNumbersAreWrittenAsECMAScriptDoes() {
        let cases: [(String, JSON, String)] = [
            ("integer zero", .int(0), "0"),
            ("negative integer", .int(-42), "-42"),
            ("double zero", .double(0), "0"),
            ("negative zero", .double(-0.0), "0"),
            ("1.0 has no fraction", .double(1.0), "1"),
            ("-1.0", .double(-1.0), "-1"),
            ("50.0", .double(50.0), "50"),
            ("a decimal majority", .double(66.5), "66.5"),
            ("4.50", .double(4.5), "4.5"),
            ("0.1", .double(0.1), "0.1"),
            ("0.1 + 0.2", .double(0.1 + 0.2), "0.30000000000000004"),
            ("0.002", .double(2e-3), "0.002"),
            ("0.000001: the last plain fraction", .double(0.000001), "0.000001"),
            ("1e-7: the first exponent below", .double(1e-7), "1e-7"),
            ("1.5e-7", .double(1.5e-7), "1.5e-7"),
            ("-1.5e-7", .double(-1.5e-7), "-1.5e-7"),
            ("1e-27", .double(1e-27), "1e-27"),
            ("2^53", .double(9_007_199_254_740_992), "9007199254740992"),
            ("1e16", .double(1e16), "10000000000000000"),
            ("1e20", .double(1e20), "100000000000000000000"),
            ("1e21: the first exponent above", .double(1e21), "1e+21"),
            ("-1e21", .double(-1e21), "-1e+21"),
            ("1e30", .double(1e30), "1e+30"),
            ("333333333.3333333", .double(333_333_333.333_333_29), "333333333.3333333"),
            ("largest double", .double(.greatestFiniteMagnitude), "1.7976931348623157e+308"),
            ("smallest subnormal", .double(.leastNonzeroMagnitude), "5e-324"),
            ("parsed 123456789012345680000", parsed("123456789012345680000"), "123456789012345680000"),
            ("parsed 1E30", parsed("1E30"), "1e+30"),
            ("parsed 2e-3", parsed("2e-3"), "0.002"),
            ("parsed 0.000000000000000000000000001", parsed("0.000000000000000000000000001"), "1e-27"),
            ("parsed 66.50", parsed("66.50"), "66.5"),
            ("parsed -0.0", parsed("-0.0"), "0"),
            ("parsed 1.0", parsed("1.0"), "1"),
        ]
        for (name, value, expected) in cases {
            XCTAssertEqual(value.canonicalSerialized(), expected, name)
        }
    }

    // MARK: - Strings: minimal escapes

    func testStringsAreEscapedMinimally() {
        let cases: [(String, String, String)] = [
            ("plain", "plain", #""plain""#),
            ("empty", "", #""""#),
            ("quote and backslash", "a\"b\\c", #""a\"b\\c""#),
            ("solidus is not escaped", "a/b", #""a/b""#),
            ("short escapes", "\u{8}\t\n\u{C}\r", #""\b\t\n\f\r""#),
            ("other controls as lowercase \\u00xx", "\u{0}\u{1}\u{F}\u{1F}", #""\u0000\u0001\u000f\u001f""#),
            ("U+007F is not escaped", "\u{7F}", "\"\u{7F}\""),
            ("U+0080 is not escaped", "\u{80}", "\"\u{80}\""),
            ("non-ASCII as is", "Été à Montréal — «€»", "\"Été à Montréal — «€»\""),
            ("astral plane as is", "😀", "\"😀\""),
            ("line separator as is", "\u{2028}", "\"\u{2028}\""),
        ]
        for (name, value, expected) in cases {
            XCTAssertEqual(JSON.string(value).canonicalSerialized(), expected, name)
            // The bytes are the UTF-8 of the text: nothing is written as \uXXXX beyond controls.
            XCTAssertEqual(Array(JSON.string(value).canonicalSerialized().utf8), Array(expected.utf8), name)
        }
    }

    // MARK: - Objects and arrays

    func testObjectMembersAreSortedByUTF16CodeUnitsAtEveryLevel() {
        let cases: [(String, JSON, String)] = [
            ("empty object", .object([:]), "{}"),
            ("empty array", .array([]), "[]"),
            ("literals", [nil, true, false], "[null,true,false]"),
            ("ASCII keys", ["b": 1, "a": 2, "B": 3, "_": 4], #"{"B":3,"_":4,"a":2,"b":1}"#),
            ("digits sort as text", ["10": nil, "1": [], "d": true], #"{"1":[],"10":null,"d":true}"#),
            ("a prefix sorts first", ["ab": 1, "a": 2, "abc": 3], #"{"a":2,"ab":1,"abc":3}"#),
            ("nested objects, arrays keep their order",
             ["b": [["z": 1, "a": 2], 3, ["y": ["q": 1, "p": 2]]], "a": ["d": nil, "c": .double(1.0)]],
             #"{"a":{"c":1,"d":null},"b":[{"a":2,"z":1},3,{"y":{"p":2,"q":1}}]}"#),
            // RFC 8785 §3.2.3: U+1F600 is D83D DE00 in UTF-16, so it sorts
            // before U+FB33 (by code points it would sort after).
            ("RFC 8785 sorting example",
             .object(JSONObject([("\u{20AC}", "Euro Sign"), ("\r", "Carriage Return"), ("\u{FB33}", "Hebrew Letter Dalet With Dagesh"),
                                 ("1", "One"), ("\u{1F600}", "Emoji: Grinning Face"), ("\u{80}", "Control"), ("\u{F6}", "Latin Small Letter O With Diaeresis")])),
             "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\",\"\u{F6}\":\"Latin Small Letter O With Diaeresis\","
                 + "\"\u{20AC}\":\"Euro Sign\",\"\u{1F600}\":\"Emoji: Grinning Face\",\"\u{FB33}\":\"Hebrew Letter Dalet With Dagesh\"}"),
            ("astral before the end of the BMP", ["\u{FF5A}": 1, "\u{1F600}": 2, "\u{E000}": 3],
             "{\"\u{1F600}\":2,\"\u{E000}\":3,\"\u{FF5A}\":1}"),
            // Sorted by the raw code units (U+001F before U+0022), then escaped.
            ("keys are escaped like strings", ["\"": 2, "\u{1F}": 1], #"{"\u001f":1,"\"":2}"#),
        ]
        for (name, value, expected) in cases {
            XCTAssertEqual(value.canonicalSerialized(), expected, name)
        }
    }

    func testTheRFC8785ExampleFromText() {
        // RFC 8785 §3.2.4: whitespace, member order and number spelling are gone.
        let input = #"""
        {
          "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
          "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
          "literals": [null, true, false]
        }
        """#
        let expected = #"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        XCTAssertEqual(parsed(input).canonicalSerialized(), expected)
    }

    func testTheSameValueGivesTheSameBytesWhateverTheOrderOrSpacing() {
        let one = parsed(#"{"title": "Été", "governance": {"majority": 66.5, "voting": "proportional"}, "n": [1, 2.0]}"#)
        let two = parsed(#"{"n":[1,2],"governance":{"voting":"proportional","majority":66.50},"title":"\u00c9t\u00e9"}"#)
        XCTAssertEqual(one.canonicalSerialized(), two.canonicalSerialized())
        XCTAssertEqual(one.canonicalSerialized(), #"{"governance":{"majority":66.5,"voting":"proportional"},"n":[1,2],"title":"Été"}"#)
        // The ordinary serialization keeps the member order given: only the canonical one sorts.
        XCTAssertNotEqual(one.serialized(), two.serialized())
    }
}
