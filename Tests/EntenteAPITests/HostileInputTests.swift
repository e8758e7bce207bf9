import Foundation
import JSON
import XCTest

/// Input a careless or hostile client sends: each refused with a clear
/// error that names the field, and nothing stored.
final class HostileInputTests: XCTestCase {
    func testControlCharactersAreRefusedInTextFields() throws {
        let live = try LiveServer()
        let client = live.client()
        let cases: [(body: JSON, field: String)] = [
            (["name": "Musée\u{0}", "kind": "institution"], "name"),
            (["name": "Musée\u{1B}[31m", "kind": "institution"], "name"),
            (["name": "Musée\nde Lyon", "kind": "institution"], "name"),
            (["name": "Musée", "kind": "institution", "city": "Ly\u{7F}on"], "city"),
            (["name": "Musée", "kind": "institution", "city": "Ly\u{85}on"], "city"),
            (["name": "Musée", "kind": "institution", "description": "ok\u{0}"], "description"),
            (["name": "Musée", "kind": "institution", "expertise": ["ok", "bad\u{7}"]], "expertise"),
        ]
        for (body, field) in cases {
            let answer = try client.post("/v1/partners", body)
            XCTAssertEqual(answer.status, 422, "\(body): \(answer.text)")
            XCTAssertEqual(answer.errorFields, [field], answer.text)
        }
        XCTAssertEqual(try live.count("partners"), 0)
        let multiline = try client.post("/v1/partners", ["name": "Musée", "kind": "institution", "description": "Line one\nline two\ttabbed\r\n"])
        XCTAssertEqual(multiline.status, 201, "free text keeps its line breaks and tabs: \(multiline.text)")
    }

    func testArraysAreCapped() throws {
        let live = try LiveServer()
        let client = live.client()
        let expertise = JSON.array((0...100).map { .string("skill \($0)") })
        let tooMany = try client.post("/v1/partners", ["name": "Musée", "kind": "institution", "expertise": expertise])
        XCTAssertEqual(tooMany.status, 422, tooMany.text)
        XCTAssertEqual(tooMany.errorFields, ["expertise"])
        XCTAssertTrue(tooMany.text.contains("at most 100 items"), tooMany.text)
        let enough = try client.post("/v1/partners", ["name": "Musée", "kind": "institution", "expertise": .array((0..<100).map { .string("skill \($0)") })])
        XCTAssertEqual(enough.status, 201, enough.text)

        let partner = try XCTUnwrap(enough.json?["id"]?.stringValue)
        let project = try Fixtures(client: client).project()
        let parties = JSON.array((0...1000).map { _ in ["partner_id": .string(partner)] })
        let convention = try client.post("/v1/conventions", ["project_id": .string(project), "title": "C", "parties": parties])
        XCTAssertEqual(convention.status, 422, convention.text)
        XCTAssertTrue(convention.errorFields.contains("parties"), convention.text)
    }

    func testARepeatedOrMalformedQueryParameterIs400() throws {
        let live = try LiveServer()
        let client = live.client()
        for (query, field) in [("limit=5&limit=10", "limit"), ("kind=company&kind=artist", "kind"), ("q=%ZZ", "q"), ("q=%C3", "q")] {
            let answer = try client.get("/v1/partners?\(query)")
            XCTAssertEqual(answer.status, 400, "\(query): \(answer.text)")
            XCTAssertEqual(answer.code, "bad_request")
            XCTAssertEqual(answer.errorFields, [field], query)
        }
        XCTAssertEqual(try client.get("/v1/partners?limit=5&kind=company").status, 200)
    }

    func testALongMethodTokenIsTruncatedInTheLog() throws {
        let live = try LiveServer()
        let method = String(repeating: "M", count: 10_000)
        let answer = try live.client().raw(method, "/v1/partners", body: [], headers: [])
        XCTAssertGreaterThanOrEqual(answer.status, 400)
        XCTAssertTrue(live.logPipe.waitFor("\"msg\":\"request\""))
        let line = try XCTUnwrap(live.logPipe.text.split(separator: "\n").first { $0.contains("\"msg\":\"request\"") })
        XCTAssertFalse(line.contains(String(repeating: "M", count: 25)), "the method is cut: \(line.prefix(300))")
        XCTAssertTrue(line.contains(String(repeating: "M", count: 24) + "…"), String(line.prefix(300)))
    }
}
