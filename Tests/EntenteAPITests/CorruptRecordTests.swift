import Foundation
import JSON
import XCTest

/// A stored row or document that does not hold what the code wrote is a
/// storage fault: 500 `internal`, logged with the table and the field, never
/// read as a default value and never a 409.
final class CorruptRecordTests: XCTestCase {
    private func createConvention(_ api: APIClient, number: Int) throws -> String {
        let partners = try (0..<2).map { index in
            try XCTUnwrap(api.post("/v1/partners", ["name": .string("Partner \(number).\(index)"), "kind": "institution"]).json?["id"]?.stringValue)
        }
        let project = try XCTUnwrap(api.post("/v1/projects", ["title": "Festival"]).json?["id"]?.stringValue)
        let response = try api.post("/v1/conventions", [
            "project_id": .string(project), "title": "Accord",
            "parties": .array(partners.map { ["partner_id": .string($0)] }),
        ])
        XCTAssertEqual(response.status, 201, response.text)
        return try XCTUnwrap(response.json?["id"]?.stringValue)
    }

    func testCorruptRowsAndDocumentsAnswer500AndAreLogged() throws {
        let live = try LiveServer()
        let api = live.client()
        let partner = try XCTUnwrap(api.post("/v1/partners", ["name": "Musée", "kind": "institution"]).json?["id"]?.stringValue)
        let conventions = try (0..<3).map { try createConvention(api, number: $0) }
        // (what to corrupt, the read that meets it, what the log must name)
        let cases: [(sql: String, path: String, logged: String)] = [
            ("UPDATE partners SET expertise = 'not json' WHERE id = '\(partner)'", "/v1/partners/\(partner)", "partners: expertise"),
            ("UPDATE conventions SET document = json_remove(document, '$.status') WHERE id = '\(conventions[0])'",
             "/v1/conventions/\(conventions[0])", "conventions.document: status is missing"),
            ("UPDATE conventions SET document = json_set(document, '$.currency', 7) WHERE id = '\(conventions[1])'",
             "/v1/conventions/\(conventions[1])", "conventions.document: currency is 7"),
            ("UPDATE conventions SET document = '[]' WHERE id = '\(conventions[2])'", "/v1/conventions/\(conventions[2])", "conventions.document is not a JSON object"),
        ]
        for (sql, path, logged) in cases {
            try live.pool.withWriter { db in try db.run(sql) }
            let response = try api.get(path)
            XCTAssertEqual(response.status, 500, "\(sql): \(response.text)")
            XCTAssertEqual(response.code, "internal", sql)
            XCTAssertTrue(live.logPipe.waitFor(logged), "the log names the fault \"\(logged)\"")
        }
    }
}
