import JSON
import Testing

/// Complete documents whose every proper prefix is incomplete (they start with a
/// bracket and end with the matching one), covering every token kind.
let truncationDocuments: [String] = [
    "[]",
    "{}",
    "[null,true,false]",
    "[0,-0,12,-3.25,1e5,1E+5,-2.5e-3,9223372036854775808]",
    "{\"a\":1,\"b\":[2,{\"c\":\"d\"}],\"e\":{}}",
    "[\"\",\"plain\",\"\\\"\\\\\\/\\b\\f\\n\\r\\t\",\"\\u00e9\\ud83c\\udfad\"]",
    "{\"é\":\"日本\",\"🎭\":[\"\u{10FFFF}\"]}",
    " [ 1 , { \"k\" : [ ] } ]",
]

@Suite("Truncated input")
struct TruncationTests {
    @Test(arguments: truncationDocuments)
    func everyProperPrefixFailsAtItsEnd(_ document: String) throws {
        let bytes = Array(document.utf8)
        for length in 0..<bytes.count {
            let error = parseError(Array(bytes[..<length]))
            #expect(
                error == JSONParseError(offset: length, reason: "unexpected end of input"),
                "prefix of length \(length)"
            )
        }
        #expect(parseError(bytes) == nil)
    }
}
