import XCTest
import JSON

final class SmokeTests: XCTestCase {
    func testHealthAndAuth() throws {
        let live = try LiveServer()
        XCTAssertEqual(try live.anonymous().get("/healthz").status, 200)
        let unauthorized = try live.anonymous().get("/v1/partners")
        XCTAssertEqual(unauthorized.status, 401)
        XCTAssertEqual(unauthorized.header("WWW-Authenticate"), "Bearer")
        XCTAssertEqual(try live.client().get("/v1/partners").status, 200)
    }
}

/// JSON bodies end with a newline, so `curl` output does not run into the prompt.
final class TrailingNewlineTests: XCTestCase {
    func testEveryKindOfJSONBodyEndsWithANewline() throws {
        let live = try LiveServer()
        let client = live.client()
        let partner = try Fixtures(client: client).partner("Musée")
        let answers: [(String, APIResponse)] = [
            ("a resource", try client.get("/v1/partners/\(partner)")),
            ("a list", try client.get("/v1/partners")),
            ("a problem", try client.get("/v1/partners/ptn_missing")),
            ("a 401", try live.anonymous().get("/v1/partners")),
            ("a 422", try client.post("/v1/partners", ["name": ""])),
            ("a transport problem", try client.raw("GET", "/v1/partners", body: [], headers: [("Content-Length", "x")])),
        ]
        for (kind, answer) in answers {
            XCTAssertEqual(answer.body.last, UInt8(ascii: "\n"), "\(kind) (\(answer.status)): \(answer.text)")
            XCTAssertNotNil(answer.json, "\(kind) is still one JSON document")
        }
    }
}
