import JSON
import Testing

@Suite("Nesting depth")
struct NestingDepthTests {
    static let limit = JSON.maximumNestingDepth

    @Test func limitIs256() {
        #expect(Self.limit == 256)
    }

    @Test func acceptsArraysAtTheLimit() throws {
        var value = try JSON.parse(String(repeating: "[", count: Self.limit) + String(repeating: "]", count: Self.limit))
        var depth = 0
        while case .array(let elements) = value {
            depth += 1
            value = elements.first ?? .null
        }
        #expect(depth == Self.limit)
    }

    @Test func acceptsObjectsAtTheLimit() throws {
        let text = String(repeating: "{\"a\":", count: Self.limit - 1) + "{}" + String(repeating: "}", count: Self.limit - 1)
        #expect(parseError(text) == nil)
    }

    @Test(arguments: [
        (String(repeating: "[", count: 257) + String(repeating: "]", count: 257), 256),
        (String(repeating: "{\"a\":", count: 257) + "1" + String(repeating: "}", count: 257), 256 * 5),
        (String(repeating: "[{\"a\":", count: 129) + "1" + String(repeating: "}]", count: 129), 128 * 6),
        (String(repeating: "[", count: 100_000), 256),
        (String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000), 256),
    ])
    func rejectsDeeperNesting(_ text: String, _ offset: Int) {
        #expect(parseError(text) == JSONParseError(offset: offset, reason: "nesting depth exceeds 256"))
    }

    @Test func siblingsDoNotAccumulateDepth() throws {
        let nested = String(repeating: "[", count: Self.limit - 1) + String(repeating: "]", count: Self.limit - 1)
        let text = "[" + Array(repeating: nested, count: 10).joined(separator: ",") + "]"
        #expect(try JSON.parse(text).arrayValue?.count == 10)
    }
}
