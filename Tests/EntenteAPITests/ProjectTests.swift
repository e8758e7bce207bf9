import Foundation
import XCTest
import JSON

/// API.md §1 and §4 on `/v1/projects`.
final class ProjectTests: XCTestCase {
    private static let csvHeader = "id,title,description,discipline,status,starts_on,ends_on,budget_cents,currency,created_at,updated_at,version"

    private func assertProblem(_ response: APIResponse, _ status: Int, _ code: String, _ context: String = "",
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(response.status, status, "\(context): \(response.text)", file: file, line: line)
        XCTAssertEqual(response.code, code, "\(context): \(response.text)", file: file, line: line)
        XCTAssertEqual(response.header("Content-Type"), "application/problem+json", context, file: file, line: line)
    }

    private func ids(_ response: APIResponse) -> [String] {
        response.json?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
    }

    private func create(_ live: LiveServer, _ body: JSON) throws -> String {
        let response = try live.client().post("/v1/projects", body)
        guard response.status == 201, let id = response.json?["id"]?.stringValue else {
            throw TestFailure("create project: \(response.status) \(response.text)")
        }
        return id
    }

    private func participants(_ response: APIResponse) -> [String: String] {
        var result: [String: String] = [:]
        for item in response.json?["partners"]?.arrayValue ?? [] {
            if let partner = item["partner_id"]?.stringValue, let role = item["role"]?.stringValue { result[partner] = role }
        }
        return result
    }

    // MARK: - Creation

    func testCreateDefaultsAndCreatableStatuses() throws {
        let live = try LiveServer()
        let draft = try live.client().post("/v1/projects", ["title": "Nuit Blanche"])
        XCTAssertEqual(draft.status, 201, draft.text)
        let id = try XCTUnwrap(draft.json?["id"]?.stringValue)
        XCTAssertEqual(draft.header("Location"), "/v1/projects/\(id)")
        XCTAssertEqual(draft.header("ETag"), "\"1\"")
        XCTAssertEqual(draft.json?["status"], "draft")
        XCTAssertEqual(draft.json?["currency"], "EUR")
        XCTAssertEqual(draft.json?["partners"], [])
        XCTAssertEqual(draft.json?["version"], 1)
        XCTAssertEqual(draft.json?["title"], "Nuit Blanche")
        let keys = try XCTUnwrap(draft.json?.objectValue?.keys)
        let order = ["id", "title", "description", "discipline", "status", "starts_on", "ends_on", "budget_cents", "currency", "partners",
                     "created_at", "updated_at", "version"]
        XCTAssertEqual(keys, order.filter(keys.contains), "fields in API order")
        for required in ["id", "title", "status", "currency", "partners", "created_at", "updated_at", "version"] {
            XCTAssertTrue(keys.contains(required), "\(required) present")
        }

        let full = try live.client().post("/v1/projects", [
            "title": "Biennale", "description": "Art contemporain", "discipline": "arts visuels", "status": "active",
            "starts_on": "2026-03-01", "ends_on": "2026-06-30", "budget_cents": 12_500_000, "currency": "CHF",
        ])
        XCTAssertEqual(full.status, 201, full.text)
        XCTAssertEqual(full.json?["status"], "active")
        XCTAssertEqual(full.json?["starts_on"], "2026-03-01")
        XCTAssertEqual(full.json?["ends_on"], "2026-06-30")
        XCTAssertEqual(full.json?["budget_cents"], 12_500_000)
        XCTAssertEqual(full.json?["currency"], "CHF")
        XCTAssertEqual(full.json?["discipline"], "arts visuels")

        let before = try (live.count("projects"), live.count("audit"))
        for status in ["completed", "cancelled"] {
            let response = try live.client().post("/v1/projects", ["title": "Trop tard", "status": .string(status)])
            assertProblem(response, 422, "validation_failed", "created \(status)")
            XCTAssertEqual(response.errorFields, ["status"], response.text)
        }
        let cases: [(String, JSON, Set<String>)] = [
            ("missing title", ["description": "x"], ["title"]),
            ("bad status", ["title": "T", "status": "archived"], ["status"]),
            ("negative budget", ["title": "T", "budget_cents": -1], ["budget_cents"]),
            ("fractional budget", ["title": "T", "budget_cents": 10.5], ["budget_cents"]),
            ("budget as text", ["title": "T", "budget_cents": "100"], ["budget_cents"]),
            ("bad date", ["title": "T", "starts_on": "2026-02-30"], ["starts_on"]),
            ("instant instead of date", ["title": "T", "ends_on": "2026-02-03T10:00:00Z"], ["ends_on"]),
            ("bad currency", ["title": "T", "currency": "euro"], ["currency"]),
            ("currency code not assigned", ["title": "T", "currency": "XYZ"], ["currency"]),
            ("gold is not money in cents", ["title": "T", "currency": "XAU"], ["currency"]),
            ("unknown field", ["title": "T", "venue": "Halle"], ["venue"]),
            ("several at once", ["status": "completed", "budget_cents": -5, "colour": 1], ["title", "status", "budget_cents", "colour"]),
        ]
        for (name, body, fields) in cases {
            let response = try live.client().post("/v1/projects", body)
            assertProblem(response, 422, "validation_failed", name)
            XCTAssertEqual(Set(response.errorFields), fields, "\(name): \(response.text)")
        }
        XCTAssertEqual(try live.count("projects"), before.0)
        XCTAssertEqual(try live.count("audit"), before.1)
        XCTAssertEqual(try live.client().post("/v1/projects", ["title": "Gratuit", "budget_cents": 0]).status, 201)
    }

    func testEndsOnMayNotPrecedeStartsOn() throws {
        let live = try LiveServer()
        let before = try live.count("projects")
        let reversed = try live.client().post("/v1/projects", ["title": "À l'envers", "starts_on": "2026-05-02", "ends_on": "2026-05-01"])
        assertProblem(reversed, 422, "validation_failed", "ends_on before starts_on")
        XCTAssertFalse(reversed.errorFields.isEmpty)
        XCTAssertTrue(Set(reversed.errorFields).isSubset(of: ["starts_on", "ends_on"]), reversed.text)
        XCTAssertEqual(try live.count("projects"), before)

        let sameDay = try live.client().post("/v1/projects", ["title": "Un jour", "starts_on": "2026-05-01", "ends_on": "2026-05-01"])
        XCTAssertEqual(sameDay.status, 201, sameDay.text)
        let id = try XCTUnwrap(sameDay.json?["id"]?.stringValue)

        // A patch that would reverse the dates is refused, and changes nothing.
        let patch = try live.client().patch("/v1/projects/\(id)", ["starts_on": "2026-05-03"])
        assertProblem(patch, 422, "validation_failed", "PATCH reversing the dates")
        let stored = try live.client().get("/v1/projects/\(id)")
        XCTAssertEqual(stored.json?["starts_on"], "2026-05-01")
        XCTAssertEqual(stored.json?["version"], 1)
        // Moving both together is fine.
        let both = try live.client().patch("/v1/projects/\(id)", ["starts_on": "2026-06-01", "ends_on": "2026-06-30"])
        XCTAssertEqual(both.status, 200, both.text)
        XCTAssertEqual(both.json?["version"], 2)
    }

    // MARK: - Lifecycle

    func testLifecycleTransitions() throws {
        let live = try LiveServer()
        /// How to reach each status from a fresh draft.
        let paths: [String: [String]] = [
            "draft": [], "active": ["active"], "completed": ["active", "completed"], "cancelled": ["cancelled"],
        ]
        let table: [(from: String, to: String, allowed: Bool)] = [
            ("draft", "active", true),
            ("active", "completed", true),
            ("draft", "cancelled", true),
            ("active", "cancelled", true),
            ("completed", "active", false),
            ("cancelled", "draft", false),
            ("completed", "cancelled", false),
            ("draft", "completed", false),
            ("active", "draft", false),
            ("cancelled", "active", false),
            ("completed", "draft", false),
            ("cancelled", "completed", false),
        ]
        for (from, to, allowed) in table {
            let id = try create(live, ["title": .string("\(from) → \(to)")])
            for step in paths[from]! {
                let moved = try live.client().patch("/v1/projects/\(id)", ["status": .string(step)])
                XCTAssertEqual(moved.status, 200, "setting up \(from): \(moved.text)")
            }
            let before = try live.client().get("/v1/projects/\(id)")
            XCTAssertEqual(before.json?["status"]?.stringValue, from)
            let version = try XCTUnwrap(before.json?["version"]?.intValue)
            let auditBefore = try live.count("audit")

            let response = try live.client().patch("/v1/projects/\(id)", ["status": .string(to)],
                                                   headers: [("Content-Type", "application/merge-patch+json")])
            if allowed {
                XCTAssertEqual(response.status, 200, "\(from) → \(to): \(response.text)")
                XCTAssertEqual(response.json?["status"]?.stringValue, to, "\(from) → \(to)")
                XCTAssertEqual(response.json?["version"]?.intValue, version + 1, "\(from) → \(to)")
                XCTAssertEqual(response.header("ETag"), "\"\(version + 1)\"")
            } else {
                assertProblem(response, 409, "invalid_transition", "\(from) → \(to)")
                let after = try live.client().get("/v1/projects/\(id)")
                XCTAssertEqual(after.json?["status"]?.stringValue, from, "\(from) → \(to) left the status")
                XCTAssertEqual(after.json?["version"]?.intValue, version, "\(from) → \(to) left the version")
                XCTAssertEqual(after.json, before.json, "\(from) → \(to) left the project")
                XCTAssertEqual(try live.count("audit"), auditBefore, "\(from) → \(to) wrote no audit entry")
            }
        }
    }

    func testUnchangedStatusAndOtherFieldsInFinalStates() throws {
        let live = try LiveServer()
        let id = try create(live, ["title": "Clos", "status": "active"])
        XCTAssertEqual(try live.client().patch("/v1/projects/\(id)", ["status": "completed"]).status, 200)
        // Re-stating the current status is not a transition.
        let same = try live.client().patch("/v1/projects/\(id)", ["status": "completed", "description": "Bilan"])
        XCTAssertEqual(same.status, 200, same.text)
        XCTAssertEqual(same.json?["status"], "completed")
        XCTAssertEqual(same.json?["description"], "Bilan")
        XCTAssertEqual(same.json?["version"], 3)
        // A stale If-Match on a status change: 412, nothing changes.
        let stale = try live.client().patch("/v1/projects/\(id)", ["title": "Autre"], headers: [("If-Match", "\"2\"")])
        assertProblem(stale, 412, "precondition_failed", "stale If-Match")
        XCTAssertEqual(try live.client().get("/v1/projects/\(id)").json?["title"], "Clos")
        XCTAssertEqual(try live.client().get("/v1/projects/\(id)", headers: [("If-None-Match", "\"3\"")]).status, 304)
    }

    // MARK: - Participants

    func testParticipants() throws {
        let live = try LiveServer()
        let fixtures = Fixtures(client: live.client())
        let a = try fixtures.partner("Opéra de Lille")
        let b = try fixtures.partner("Ville de Roubaix", kind: "local_authority")
        let c = try fixtures.partner("Fondation Carasso", kind: "foundation")
        let project = try create(live, ["title": "Saison croisée"])
        let client = live.client()

        let added = try client.put("/v1/projects/\(project)/partners/\(a)", ["role": "lead"])
        XCTAssertEqual(added.status, 201, added.text)
        XCTAssertEqual(participants(added), [a: "lead"])
        XCTAssertEqual(added.json?["version"], 2)
        XCTAssertEqual(added.header("ETag"), "\"2\"")

        let changed = try client.put("/v1/projects/\(project)/partners/\(a)", ["role": "co_organizer"])
        XCTAssertEqual(changed.status, 200, changed.text)
        XCTAssertEqual(participants(changed), [a: "co_organizer"])
        XCTAssertEqual(changed.json?["version"], 3)
        // The Location of the 201 answers with the participation.
        let location = try XCTUnwrap(added.header("Location"))
        let participation = try client.get(location)
        XCTAssertEqual(participation.status, 200, participation.text)
        XCTAssertEqual(participation.json, ["partner_id": .string(a), "role": "co_organizer"])
        XCTAssertEqual(participation.header("ETag"), "\"3\"", "the project's version")
        XCTAssertEqual(try client.get("/v1/projects/\(project)/partners/\(b)").status, 404, "not a participant yet")

        XCTAssertEqual(try client.put("/v1/projects/\(project)/partners/\(b)", ["role": "lead"]).status, 201)
        XCTAssertEqual(try client.put("/v1/projects/\(project)/partners/\(c)", ["role": "funder"]).status, 201)
        let stored = try client.get("/v1/projects/\(project)")
        XCTAssertEqual(participants(stored), [a: "co_organizer", b: "lead", c: "funder"])
        XCTAssertEqual(stored.json?["partners"]?.arrayValue?.compactMap { $0["partner_id"]?.stringValue }, [a, b, c], "in the order they joined")

        // A second lead: 409, nothing changes.
        let rows = try (live.count("project_partners"), live.count("audit"))
        let secondLead = try client.put("/v1/projects/\(project)/partners/\(c)", ["role": "lead"])
        XCTAssertEqual(secondLead.status, 409, secondLead.text)
        XCTAssertEqual(secondLead.code, "conflict", secondLead.text)
        let secondLeadNew = try fixtures.partner("Nouveau venu")
        XCTAssertEqual(try client.put("/v1/projects/\(project)/partners/\(secondLeadNew)", ["role": "lead"]).status, 409)
        XCTAssertEqual(try live.count("project_partners"), rows.0, "no participant added by a refused lead")
        XCTAssertEqual(try live.count("audit"), rows.1 + 1, "only the new partner's creation was audited")
        let afterConflict = try client.get("/v1/projects/\(project)")
        XCTAssertEqual(participants(afterConflict), [a: "co_organizer", b: "lead", c: "funder"])
        XCTAssertEqual(afterConflict.json?["version"], stored.json?["version"])
        // The lead itself may be re-stated.
        XCTAssertEqual(try client.put("/v1/projects/\(project)/partners/\(b)", ["role": "lead"]).status, 200)

        // Bad roles and unknown partners or projects.
        let badRole = try client.put("/v1/projects/\(project)/partners/\(c)", ["role": "sponsor"])
        assertProblem(badRole, 422, "validation_failed", "bad role")
        XCTAssertEqual(badRole.errorFields, ["role"])
        assertProblem(try client.put("/v1/projects/\(project)/partners/\(c)", [:]), 422, "validation_failed", "no role")
        assertProblem(try client.put("/v1/projects/\(project)/partners/ptn_unknown", ["role": "host"]), 404, "not_found", "unknown partner")
        assertProblem(try client.put("/v1/projects/prj_unknown/partners/\(a)", ["role": "host"]), 404, "not_found", "unknown project")
        XCTAssertEqual(participants(try client.get("/v1/projects/\(project)")), [a: "co_organizer", b: "lead", c: "funder"])

        // Removing.
        let removed = try client.delete("/v1/projects/\(project)/partners/\(b)")
        XCTAssertEqual(removed.status, 204, removed.text)
        XCTAssertTrue(removed.body.isEmpty)
        XCTAssertEqual(participants(try client.get("/v1/projects/\(project)")), [a: "co_organizer", c: "funder"])
        assertProblem(try client.delete("/v1/projects/\(project)/partners/\(b)"), 404, "not_found", "removing twice")
        // With the lead gone, another partner may lead.
        XCTAssertEqual(try client.put("/v1/projects/\(project)/partners/\(c)", ["role": "lead"]).status, 200)
    }

    // MARK: - Lists

    func testListFilters() throws {
        let live = try LiveServer()
        let fixtures = Fixtures(client: live.client())
        let a = try fixtures.partner("Scène A")
        let b = try fixtures.partner("Scène B")
        let festival = try create(live, ["title": "Festival d'Été"])
        let tournee = try create(live, ["title": "Tournée européenne", "status": "active"])
        let expo = try create(live, ["title": "Exposition FESTIVE", "status": "active"])
        let client = live.client()
        XCTAssertEqual(try client.put("/v1/projects/\(festival)/partners/\(a)", ["role": "lead"]).status, 201)
        XCTAssertEqual(try client.put("/v1/projects/\(tournee)/partners/\(a)", ["role": "host"]).status, 201)
        XCTAssertEqual(try client.put("/v1/projects/\(tournee)/partners/\(b)", ["role": "lead"]).status, 201)
        XCTAssertEqual(try client.patch("/v1/projects/\(expo)", ["status": "cancelled"]).status, 200)

        XCTAssertEqual(ids(try client.get("/v1/projects")), [festival, tournee, expo], "oldest first")
        XCTAssertEqual(ids(try client.get("/v1/projects?status=draft")), [festival])
        XCTAssertEqual(ids(try client.get("/v1/projects?status=active")), [tournee])
        XCTAssertEqual(ids(try client.get("/v1/projects?status=cancelled")), [expo])
        XCTAssertEqual(ids(try client.get("/v1/projects?status=completed")), [])
        XCTAssertEqual(ids(try client.get("/v1/projects?partner_id=\(a)")), [festival, tournee])
        XCTAssertEqual(ids(try client.get("/v1/projects?partner_id=\(b)")), [tournee])
        XCTAssertEqual(ids(try client.get("/v1/projects?partner_id=\(a)&status=active")), [tournee])
        XCTAssertEqual(ids(try client.get("/v1/projects?q=festiv")), [festival, expo], "case-insensitive substring")
        XCTAssertEqual(ids(try client.get("/v1/projects?q=EUROP")), [tournee])
        XCTAssertEqual(ids(try client.get("/v1/projects?q=%C3%A9T%C3%89")), [festival], "q=éTÉ, Unicode case-insensitive")
        XCTAssertEqual(ids(try client.get("/v1/projects?q=festiv&status=draft")), [festival])

        for path in ["/v1/projects?status=archived", "/v1/projects?status=ACTIVE", "/v1/projects?limit=0", "/v1/projects?limit=501",
                     "/v1/projects?limit=x", "/v1/projects?cursor=nonsense"] {
            assertProblem(try client.get(path), 400, "bad_request", path)
        }

        // Paging.
        let first = try client.get("/v1/projects?limit=2")
        XCTAssertEqual(ids(first), [festival, tournee])
        let cursor = try XCTUnwrap(first.json?["next_cursor"]?.stringValue)
        let second = try client.get("/v1/projects?limit=2&cursor=\(cursor)")
        XCTAssertEqual(ids(second), [expo])
        XCTAssertEqual(second.json?["next_cursor"], .null)
    }

    // MARK: - Audit

    /// API.md §9: every successful write adds one audit entry (§11: each entry is also an event,
    /// and a status change is the `project.status_changed` event).
    func testEachProjectWriteAddsOneAuditEntry() throws {
        let live = try LiveServer()
        let partner = try Fixtures(client: live.client()).partner("Scène audit")
        let client = live.client()
        var count = try live.count("audit")
        func expectOneMore(_ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
            let now = try live.count("audit")
            XCTAssertEqual(now, count + 1, "\(what) adds exactly one audit entry", file: file, line: line)
            count = now
        }

        let id = try create(live, ["title": "Audité"])
        try expectOneMore("POST")
        XCTAssertEqual(try client.patch("/v1/projects/\(id)", ["title": "Audité bis"]).status, 200)
        try expectOneMore("PATCH title")
        let moved = try client.patch("/v1/projects/\(id)", ["status": "active"], headers: [("X-Request-Id", "status-req-1")])
        XCTAssertEqual(moved.status, 200)
        try expectOneMore("PATCH status")
        XCTAssertEqual(try client.put("/v1/projects/\(id)/partners/\(partner)", ["role": "host"]).status, 201)
        try expectOneMore("PUT participant")
        XCTAssertEqual(try client.delete("/v1/projects/\(id)/partners/\(partner)").status, 204)
        try expectOneMore("DELETE participant")
        XCTAssertEqual(try client.delete("/v1/projects/\(id)").status, 204)
        try expectOneMore("DELETE")

        let events = try client.get("/v1/events?limit=500")
        XCTAssertEqual(events.status, 200, events.text)
        let statusEvents = events.json?["items"]?.arrayValue?.filter { $0["type"]?.stringValue == "project.status_changed" } ?? []
        XCTAssertEqual(statusEvents.count, 1, events.text)
        XCTAssertEqual(statusEvents.first?["data"]?["request_id"], "status-req-1")
    }

    // MARK: - Delete

    func testDeleteProject() throws {
        let live = try LiveServer()
        let fixtures = Fixtures(client: live.client())
        let partner = try fixtures.partner("Compagnie Éphémère")
        let project = try fixtures.project("Spectacle unique", partners: [partner: "lead"])
        let client = live.client()

        assertProblem(try client.delete("/v1/projects/\(project)", headers: [("If-Match", "\"1\"")]), 412, "precondition_failed", "stale If-Match")
        XCTAssertEqual(try client.get("/v1/projects/\(project)").status, 200)

        let auditBefore = try live.count("audit")
        let deleted = try client.delete("/v1/projects/\(project)")
        XCTAssertEqual(deleted.status, 204, deleted.text)
        XCTAssertTrue(deleted.body.isEmpty)
        XCTAssertEqual(try live.count("audit"), auditBefore + 1)
        assertProblem(try client.get("/v1/projects/\(project)"), 404, "not_found", "GET after DELETE")
        assertProblem(try client.delete("/v1/projects/\(project)"), 404, "not_found", "DELETE twice")
        assertProblem(try client.patch("/v1/projects/\(project)", ["title": "x"]), 404, "not_found", "PATCH after DELETE")
        XCTAssertEqual(try live.count("project_partners"), 0)
        XCTAssertEqual(ids(try client.get("/v1/projects")), [])
        // The partner no longer takes part in anything and may go.
        XCTAssertEqual(try client.delete("/v1/partners/\(partner)").status, 204)
    }

    // MARK: - CSV

    func testCSVExport() throws {
        let live = try LiveServer()
        let fixtures = Fixtures(client: live.client())
        let partner = try fixtures.partner("Lieu partenaire")
        let first = try create(live, ["title": "Danse, \"hip-hop\"", "description": "Battle\net slam", "discipline": "danse",
                                      "starts_on": "2026-09-01", "ends_on": "2026-09-30", "budget_cents": 450_000])
        XCTAssertEqual(try live.client().put("/v1/projects/\(first)/partners/\(partner)", ["role": "lead"]).status, 201)
        var others: [String] = []
        for index in 1...4 { others.append(try create(live, ["title": .string("Projet \(index)"), "status": "active"])) }

        let response = try live.client().get("/v1/projects?limit=1", headers: [("Accept", "text/csv")])
        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertTrue(response.header("Content-Type")?.hasPrefix("text/csv") ?? false, "\(response.headers)")
        let lines = response.text.components(separatedBy: "\r\n")
        XCTAssertEqual(lines.first, Self.csvHeader)
        XCTAssertTrue(response.text.contains("\"Danse, \"\"hip-hop\"\"\",\"Battle\net slam\""), response.text)

        let fetched = try live.client().get("/v1/projects/\(first)")
        let created = try XCTUnwrap(fetched.json?["created_at"]?.stringValue)
        let updated = try XCTUnwrap(fetched.json?["updated_at"]?.stringValue)
        let expectedRow = "\(first),\"Danse, \"\"hip-hop\"\"\",\"Battle\net slam\",danse,draft,2026-09-01,2026-09-30,450000,EUR,\(created),\(updated),2"
        XCTAssertTrue(response.text.hasPrefix(Self.csvHeader + "\r\n" + expectedRow + "\r\n"), response.text)
        for id in others {
            XCTAssertTrue(lines.contains { $0.hasPrefix(id + ",Projet ") && $0.contains(",active,,,,EUR,") }, "row of \(id) in \(response.text)")
        }
        XCTAssertEqual(lines.count, 1 + 5 + 1, "header, every row despite limit=1, trailing empty")
        XCTAssertEqual(lines.last, "")

        let filtered = try live.client().get("/v1/projects?status=draft", headers: [("Accept", "text/csv")])
        XCTAssertTrue(filtered.text.hasPrefix(Self.csvHeader + "\r\n" + expectedRow + "\r\n"))
        XCTAssertEqual(filtered.text.components(separatedBy: "\r\n").count, 3)
        let none = try live.client().get("/v1/projects?status=completed", headers: [("Accept", "text/csv")])
        XCTAssertEqual(none.text, Self.csvHeader + "\r\n")
    }
}
