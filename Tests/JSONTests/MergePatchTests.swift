import JSON
import Testing

/// RFC 7396 Appendix A: original, patch, result (as compact JSON text).
let rfc7396Examples: [(String, String, String)] = [
    (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
    (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
    (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
    (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
    (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
    (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
    (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
    (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
    (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
    (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
    (#"{"a":"foo"}"#, #"null"#, #"null"#),
    (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
    (#"{"e":null}"#, #"{"a":1}"#, #"{"e":null,"a":1}"#),
    (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
    (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
]

@Suite("JSON Merge Patch")
struct MergePatchTests {
    @Test(arguments: rfc7396Examples)
    func appendixA(_ original: String, _ patch: String, _ result: String) throws {
        let merged = try JSON.parse(original).mergePatched(with: try JSON.parse(patch))
        #expect(merged.serialized() == result)
    }

    @Test func section3Example() throws {
        let target = try JSON.parse("""
            {"title":"Goodbye!","author":{"givenName":"John","familyName":"Doe"},\
            "tags":["example","sample"],"content":"This will be unchanged"}
            """)
        let patch = try JSON.parse("""
            {"title":"Hello!","phoneNumber":"+01-123-456-7890",\
            "author":{"familyName":null},"tags":["example"]}
            """)
        #expect(target.mergePatched(with: patch).serialized() == """
            {"title":"Hello!","author":{"givenName":"John"},"tags":["example"],\
            "content":"This will be unchanged","phoneNumber":"+01-123-456-7890"}
            """)
    }

    @Test(arguments: [JSON.null, 1, "s", [1], true])
    func nonObjectTargetCountsAsEmptyObject(_ target: JSON) {
        #expect(target.mergePatched(with: ["a": 1, "b": nil]) == ["a": 1])
    }
}
