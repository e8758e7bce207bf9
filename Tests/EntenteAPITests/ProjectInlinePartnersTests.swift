import XCTest
import JSON

/// `partners` may come with the project itself, on creation or as a PATCH.
final class ProjectInlinePartnersTests: XCTestCase {
    func testPartnersGivenInlineOnCreateAndPatch() throws {
        let live = try LiveServer()
        let admin = live.client()
        let fixtures = Fixtures(client: admin)
        let a = try fixtures.partner("Musée A"), b = try fixtures.partner("Festival B")
        let created = try admin.post("/v1/projects", ["title": "Saison", "partners": [["partner_id": .string(a), "role": "lead"], ["partner_id": .string(b), "role": "host"]]])
        XCTAssertEqual(created.status, 201, created.text)
        let id = try XCTUnwrap(created.json?["id"]?.stringValue)
        XCTAssertEqual(created.json?["partners"]?.arrayValue?.count, 2)
        // The participants are real: filters and partner scope see them.
        let listed = try admin.get("/v1/projects?partner_id=\(b)").json?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
        XCTAssertEqual(listed, [id])
        XCTAssertEqual(try live.client(token: try live.token(role: "partner", partnerID: b)).get("/v1/projects/\(id)").status, 200)

        let patched = try admin.patch("/v1/projects/\(id)", ["partners": [["partner_id": .string(b), "role": "lead"]]])
        XCTAssertEqual(patched.status, 200, patched.text)
        XCTAssertEqual(patched.json?["partners"], [["partner_id": .string(b), "role": "lead"]])

        let refused: [(JSON, String)] = [
            (["title": "X", "partners": [["partner_id": "ptn_missing", "role": "lead"]]], "partners[0].partner_id"),
            (["title": "X", "partners": [["partner_id": .string(a), "role": "lead"], ["partner_id": .string(b), "role": "lead"]]], "partners"),
            (["title": "X", "partners": [["partner_id": .string(a), "role": "boss"]]], "partners[0].role"),
        ]
        for (body, field) in refused {
            let response = try admin.post("/v1/projects", body)
            XCTAssertEqual(response.status, 422, response.text)
            XCTAssertTrue(response.errorFields.contains(field), "\(field): \(response.text)")
        }
    }
}
