import XCTest
import JSON

/// A partner key sees only its partner's world, on every resource (API.md §2):
/// outside it, 404 — its existence is not revealed.
final class PartnerScopeTests: XCTestCase {
    func testEveryResourceOutsideThePartnersWorldIs404() throws {
        let live = try LiveServer()
        let admin = live.client()
        let fixtures = Fixtures(client: admin)
        let a = try fixtures.partner("Musée A"), b = try fixtures.partner("Festival B")
        let c = try fixtures.partner("Ville C"), d = try fixtures.partner("Fondation D")
        // A's world: project 1 and its convention; C and D's world: project 2.
        let ours = try fixtures.project("Ours", partners: [a: "lead", b: "host"])
        let theirs = try fixtures.project("Theirs", partners: [c: "lead", d: "host"])
        let ourConvention = try fixtures.convention(project: ours, parties: [(a, 100), (b, 100)])
        let theirConvention = try fixtures.convention(project: theirs, parties: [(c, 100), (d, 100)])
        try fixtures.bringIntoForce(ourConvention, parties: [a, b])
        try fixtures.bringIntoForce(theirConvention, parties: [c, d])
        let ourDecision = try XCTUnwrap(try admin.post("/v1/conventions/\(ourConvention)/decisions", ["title": "Nous"]).json?["id"]?.stringValue)
        let theirDecision = try XCTUnwrap(try admin.post("/v1/conventions/\(theirConvention)/decisions", ["title": "Eux"]).json?["id"]?.stringValue)
        let indicator: JSON = ["name": "Public", "unit": "visits", "target": 10, "direction": "increase"]
        let ourIndicator = try XCTUnwrap(try admin.post("/v1/projects/\(ours)/indicators", indicator).json?["id"]?.stringValue)
        let theirIndicator = try XCTUnwrap(try admin.post("/v1/projects/\(theirs)/indicators", indicator).json?["id"]?.stringValue)
        _ = try admin.post("/v1/conventions/\(theirConvention)/amendments", ["summary": "s", "changes": ["title": "Eux, avenant 1"]])

        let partner = live.client(token: try live.token(role: "partner", partnerID: a))
        let visible = [
            "/v1/projects/\(ours)", "/v1/conventions/\(ourConvention)", "/v1/conventions/\(ourConvention)/decision-rights",
            "/v1/conventions/\(ourConvention)/decisions", "/v1/conventions/\(ourConvention)/amendments",
            "/v1/conventions/\(ourConvention)/revisions", "/v1/conventions/\(ourConvention)/revisions/1",
            "/v1/decisions/\(ourDecision)", "/v1/indicators/\(ourIndicator)", "/v1/indicators/\(ourIndicator)/measurements",
            "/v1/projects/\(ours)/indicators", "/v1/partners/\(c)",
        ]
        for path in visible {
            XCTAssertEqual(try partner.get(path).status, 200, path)
        }
        let hidden = [
            "/v1/projects/\(theirs)", "/v1/conventions/\(theirConvention)", "/v1/conventions/\(theirConvention)/decision-rights",
            "/v1/conventions/\(theirConvention)/decisions", "/v1/conventions/\(theirConvention)/amendments",
            "/v1/conventions/\(theirConvention)/amendments/1", "/v1/conventions/\(theirConvention)/revisions",
            "/v1/conventions/\(theirConvention)/revisions/1", "/v1/conventions/\(theirConvention)?as_of=2999-01-01",
            "/v1/decisions/\(theirDecision)", "/v1/indicators/\(theirIndicator)", "/v1/indicators/\(theirIndicator)/measurements",
            "/v1/projects/\(theirs)/indicators",
        ]
        for path in hidden {
            let response = try partner.get(path)
            XCTAssertEqual(response.status, 404, path)
            XCTAssertEqual(response.code, "not_found", path)
        }
        // Actions on resources outside its world are 404 too, not 403.
        XCTAssertEqual(try partner.post("/v1/decisions/\(theirDecision)/votes", ["partner_id": .string(a), "choice": "yes"]).status, 404)
        XCTAssertEqual(try partner.post("/v1/indicators/\(theirIndicator)/measurements", ["value": 1, "measured_on": "2026-01-01"]).status, 404)
        XCTAssertEqual(try partner.post("/v1/conventions/\(theirConvention)/amendments/1/signatures", ["partner_id": .string(a), "signatory": "A"]).status, 404)

        // Lists hold only its world.
        let conventions = try partner.get("/v1/conventions").json?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
        XCTAssertEqual(conventions, [ourConvention])
        let projects = try partner.get("/v1/projects").json?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
        XCTAssertEqual(projects, [ours])

        // Events and audit: nothing about the other world.
        let events = try XCTUnwrap(try partner.get("/v1/events?limit=500").json?["items"]?.arrayValue)
        XCTAssertFalse(events.isEmpty)
        let touched = Set(events.compactMap { $0["data"]?["entity_id"]?.stringValue })
        for foreign in [theirs, theirConvention, theirDecision, theirIndicator, c, d] {
            XCTAssertFalse(touched.contains(foreign), "event about \(foreign) shown to partner A")
        }
        XCTAssertTrue(touched.contains(ourConvention))
        let audit = try XCTUnwrap(try partner.get("/v1/audit?limit=500").json?["items"]?.arrayValue)
        XCTAssertEqual(Set(audit.compactMap { $0["entity_id"]?.stringValue }).intersection([theirs, theirConvention, theirDecision]), [])
    }
}
