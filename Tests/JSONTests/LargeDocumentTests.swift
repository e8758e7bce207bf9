import JSON
import Testing

/// A sanity check on a realistically sized document; deliberately not timed.
@Suite("Large documents")
struct LargeDocumentTests {
    static let records = JSON.array((0..<2_000).map(record))

    static func record(_ index: Int) -> JSON {
        var object = JSONObject()
        object["id"] = .int(Int64(index))
        object["title"] = .string("Project \(index) — «Théâtre» \"quoted\"\n🎭")
        object["budget"] = .double(Double(index) * 1234.5)
        object["active"] = .bool(index % 2 == 0)
        object["partners"] = .array((0..<(index % 5)).map { .string("partner-\($0)") })
        object["notes"] = index % 3 == 0 ? .null : "plain ascii text that is long enough to form a run"
        return .object(object)
    }

    @Test func roundTripsThroughBytes() throws {
        var buffer: [UInt8] = []
        Self.records.write(to: &buffer)
        #expect(buffer.count > 200_000)
        let parsed = try JSON.parse(buffer)
        #expect(parsed == Self.records)
        #expect(parsed.arrayValue?.count == 2_000)
        #expect(parsed.arrayValue?[1999]["title"]?.stringValue == "Project 1999 — «Théâtre» \"quoted\"\n🎭")
    }

    @Test func pathologicalShapesStayLinear() throws {
        let wideArray = "[" + Array(repeating: "0", count: 100_000).joined(separator: ",") + "]"
        #expect(try JSON.parse(wideArray).arrayValue?.count == 100_000)
        let wideObject = "{" + (0..<50_000).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}"
        #expect(try JSON.parse(wideObject).objectValue?.count == 50_000)
        let longString = "\"" + String(repeating: "aé\\n", count: 100_000) + "\""
        #expect(try JSON.parse(longString).stringValue?.utf8.count == 400_000)
    }
}
