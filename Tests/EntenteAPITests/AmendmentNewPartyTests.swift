import XCTest
import JSON

/// A partner that an amendment brings in must see and sign it with its own key,
/// though it is not yet a party to the convention.
final class AmendmentNewPartyTests: XCTestCase {
    func testAPartnerAddedByAnAmendmentSignsItWithItsKey() throws {
        let live = try LiveServer()
        let admin = live.client()
        let fixtures = Fixtures(client: admin)
        let a = try fixtures.partner("Musée A"), b = try fixtures.partner("Festival B"), c = try fixtures.partner("Ville C")
        let outsider = try fixtures.partner("Autre D")
        let project = try fixtures.project("Saison", partners: [a: "lead"])
        let convention = try fixtures.convention(project: project, parties: [(a, 100), (b, 100)])
        try fixtures.bringIntoForce(convention, parties: [a, b])
        let parties: JSON = .array([a, b, c].map { id in ["partner_id": .string(id), "contributions": []] })
        XCTAssertEqual(try admin.post("/v1/conventions/\(convention)/amendments", ["summary": "C joins", "changes": ["parties": parties]]).status, 201)

        let newcomer = live.client(token: try live.token(role: "partner", partnerID: c))
        let stranger = live.client(token: try live.token(role: "partner", partnerID: outsider))
        XCTAssertEqual(try newcomer.get("/v1/conventions/\(convention)/amendments/1").status, 200)
        XCTAssertEqual(try stranger.get("/v1/conventions/\(convention)/amendments/1").status, 404)
        XCTAssertEqual(try stranger.get("/v1/conventions/\(convention)/amendments/9").status, 404)
        XCTAssertEqual(try stranger.post("/v1/conventions/\(convention)/amendments/1/signatures", ["partner_id": .string(outsider), "signatory": "D"]).status, 404)

        for (partner, client) in [(a, admin), (b, admin), (c, newcomer)] {
            let signed = try client.post("/v1/conventions/\(convention)/amendments/1/signatures", ["partner_id": .string(partner), "signatory": "S"])
            XCTAssertEqual(signed.status, 201, signed.text)
        }
        let applied = try admin.get("/v1/conventions/\(convention)")
        XCTAssertEqual(applied.json?["revision"]?.intValue, 2)
        XCTAssertEqual(applied.json?["parties"]?.arrayValue?.count, 3)
        XCTAssertEqual(try newcomer.get("/v1/conventions/\(convention)").status, 200, "now a party")
    }

    func testAuditAndEventsAboutKeysAndWebhooksAreForAdminsOnly() throws {
        let live = try LiveServer()
        XCTAssertEqual(try live.client().post("/v1/webhooks", ["url": "http://127.0.0.1:9/hook", "events": ["*"], "secret": "0123456789abcdef"]).status, 201)
        let editor = live.client(token: try live.token(role: "editor"))
        for path in ["/v1/audit?limit=500", "/v1/events?limit=500"] {
            let seen = try XCTUnwrap(try editor.get(path).json?["items"]?.arrayValue)
            let kinds = Set(seen.compactMap { $0["entity_type"]?.stringValue ?? $0["data"]?["entity_type"]?.stringValue })
            XCTAssertTrue(kinds.isDisjoint(with: ["api_key", "webhook"]), "\(path): \(kinds)")
            let adminSeen = try XCTUnwrap(try live.client().get(path).json?["items"]?.arrayValue)
            let adminKinds = Set(adminSeen.compactMap { $0["entity_type"]?.stringValue ?? $0["data"]?["entity_type"]?.stringValue })
            XCTAssertTrue(adminKinds.isSuperset(of: ["api_key", "webhook"]), "\(path): \(adminKinds)")
        }
    }
}
