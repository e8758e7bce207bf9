import XCTest
import JSON
import SQLite

/// A refused request leaves the database exactly as it was: every row of every
/// table, audit trail and outbox included (API.md §1, issue: "the database
/// untouched by a failed request").
final class FailedRequestsChangeNothingTests: XCTestCase {
    /// Every row of every table, in rowid order.
    private func snapshot(_ live: LiveServer) throws -> [String: [Row]] {
        try live.pool.withReader { db in
            let tables = try db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").compactMap { $0.string("name") }
            var rows: [String: [Row]] = [:]
            for table in tables {
                rows[table] = try db.query("SELECT * FROM \"\(table)\"")
            }
            return rows
        }
    }

    func testRefusedRequestsOfEveryKindChangeNoRow() throws {
        let live = try LiveServer()
        let admin = live.client()
        let fixtures = Fixtures(client: admin)
        let a = try fixtures.partner("Musée A"), b = try fixtures.partner("Festival B"), c = try fixtures.partner("Ville C")
        let project = try fixtures.project("Saison", partners: [a: "lead", b: "host"])
        let draft = try fixtures.convention(project: project, parties: [(a, 100), (b, 200)])
        let inForce = try fixtures.convention(project: project, parties: [(a, 100), (b, 200)])
        try fixtures.bringIntoForce(inForce, parties: [a, b])
        let decision = try XCTUnwrap(try admin.post("/v1/conventions/\(inForce)/decisions", ["title": "Budget"]).json?["id"]?.stringValue)
        let indicator = try XCTUnwrap(try admin.post("/v1/projects/\(project)/indicators",
                                                     ["name": "Public", "unit": "visits", "target": 100, "direction": "increase"]).json?["id"]?.stringValue)
        let partnerKey = try live.token(role: "partner", partnerID: a)
        let before = try snapshot(live)

        let refused: [(String, APIResponse, Int)] = [
            ("partner: invalid fields", try admin.post("/v1/partners", ["name": "", "kind": "castle"]), 422),
            ("partner: duplicate", try admin.post("/v1/partners", ["name": " musée a ", "kind": "institution", "country": "FR"]), 409),
            ("partner: stale If-Match", try admin.patch("/v1/partners/\(a)", ["city": "Lyon"], headers: [("If-Match", "\"7\"")]), 412),
            ("partner: in use", try admin.delete("/v1/partners/\(a)"), 409),
            ("partner: wrong media type", try admin.send("POST", "/v1/partners", body: ["name": "X", "kind": "other"], headers: [("Content-Type", "text/plain")]), 415),
            ("partner: broken JSON", try admin.raw("POST", "/v1/partners", body: Array("{\"name\":".utf8), headers: [("Content-Type", "application/json")]), 400),
            ("project: illegal transition", try admin.patch("/v1/projects/\(project)", ["status": "draft"]), 409),
            ("project: second lead", try admin.put("/v1/projects/\(project)/partners/\(c)", ["role": "lead"]), 409),
            ("project: in use", try admin.delete("/v1/projects/\(project)"), 409),
            ("convention: one party", try admin.post("/v1/conventions", ["project_id": .string(project), "title": "Solo", "parties": [["partner_id": .string(a)]]]), 422),
            ("convention: PATCH in force", try admin.patch("/v1/conventions/\(inForce)", ["title": "Autre"]), 409),
            ("convention: signing a draft", try admin.post("/v1/conventions/\(draft)/signatures", ["partner_id": .string(a), "signatory": "A"]), 409),
            ("convention: impossible cap", try admin.patch("/v1/conventions/\(draft)", ["governance": ["voting": "equal", "cap_percent": 10]]), 422),
            ("convention: terminating a draft", try admin.post("/v1/conventions/\(draft)/termination", ["reason": "r", "effective_on": "2026-12-31"]), 409),
            ("amendment: invalid text", try admin.post("/v1/conventions/\(inForce)/amendments", ["summary": "s", "changes": ["parties": []]]), 422),
            ("decision: on a draft", try admin.post("/v1/conventions/\(draft)/decisions", ["title": "Non"]), 409),
            ("vote: not a party", try admin.post("/v1/decisions/\(decision)/votes", ["partner_id": .string(c), "choice": "yes"]), 409),
            ("vote: stale If-Match", try admin.post("/v1/decisions/\(decision)/votes", ["partner_id": .string(a), "choice": "yes"], headers: [("If-Match", "\"9\"")]), 412),
            ("vote: for another partner", try live.client(token: partnerKey).post("/v1/decisions/\(decision)/votes", ["partner_id": .string(b), "choice": "no"]), 403),
            ("measurement: bad date", try admin.post("/v1/indicators/\(indicator)/measurements", ["value": 3, "measured_on": "2026-02-30"]), 422),
            ("key: partner role without partner", try admin.post("/v1/api-keys", ["name": "k", "role": "partner"]), 422),
            ("webhook: bad URL", try admin.post("/v1/webhooks", ["url": "ftp://x", "events": ["*"], "secret": "0123456789abcdef"]), 422),
            ("reader writes", try live.client(token: try live.token(role: "reader")).post("/v1/partners", ["name": "R", "kind": "other"]), 403),
        ]
        // The reader key above was created on purpose: take it out of the comparison.
        var after = try snapshot(live)
        after["api_keys"] = Array(after["api_keys"]!.prefix(before["api_keys"]!.count))
        after["audit"] = after["audit"]!.filter { $0.string("action") != "api_key.created" || before["audit"]!.contains($0) }

        for (name, response, status) in refused {
            XCTAssertEqual(response.status, status, "\(name): \(response.text)")
        }
        for table in before.keys.sorted() {
            XCTAssertEqual(before[table]!, after[table]!, "table \(table) changed")
        }
    }
}
