import Foundation
import XCTest
import JSON

/// Breach notices (API.md §14, DESCA): a party in breach is given
/// `cure_days` to put it right; cured, the notice closes; still open after
/// its deadline, it lapses and the party defaults as by §7's `default`.
final class BreachNoticeTests: XCTestCase {

    // MARK: - Issuing

    func testIssue() throws {
        let world = try BreachWorld()
        let issued = try world.api.post(world.noticesPath(world.b), ["reason": "  Apport de 2030 non versé  ", "cure_days": 30],
                                        headers: [("X-Request-Id", "notice-b-1")])
        XCTAssertEqual(issued.status, 201, issued.text)
        let id = try XCTUnwrap(issued.json?["id"]?.stringValue)
        XCTAssertEqual(issued.header("Location"), "/v1/breach-notices/\(id)")
        XCTAssertEqual(issued.header("ETag"), "\"1\"")
        XCTAssertEqual(issued.json?["partner_id"], .string(world.b))
        XCTAssertEqual(issued.json?["convention_id"], .string(world.convention))
        XCTAssertEqual(issued.json?["reason"], "Apport de 2030 non versé")
        XCTAssertEqual(issued.json?["issued_at"], "2030-06-01T10:00:00Z")
        XCTAssertEqual(issued.json?["cure_deadline"], "2030-07-01T10:00:00Z", "issued_at + 30 × 24 h")
        XCTAssertEqual(issued.json?["status"], "open")
        XCTAssertEqual(issued.json?["version"], 1)
        // The contract's members in its order.
        let keys = try XCTUnwrap(issued.json?.objectValue?.keys)
        let contractOrder = ["id", "partner_id", "reason", "issued_at", "cure_deadline", "status"]
        XCTAssertEqual(keys.filter(contractOrder.contains), contractOrder)
        let fetched = try world.api.get("/v1/breach-notices/\(id)")
        XCTAssertEqual(fetched.status, 200, fetched.text)
        XCTAssertEqual(fetched.json, issued.json)
        let listed = try world.api.get("/v1/conventions/\(world.convention)/breach-notices")
        XCTAssertEqual(listed.json?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue }, [id])

        // Audited, with the request id, and raised as an event.
        let audit = try XCTUnwrap(try world.api.get("/v1/audit?entity_id=\(id)").json?["items"]?.arrayValue)
        XCTAssertEqual(audit.compactMap { $0["action"]?.stringValue }, ["breach.notified"])
        XCTAssertEqual(audit.first?["request_id"], "notice-b-1")
        XCTAssertEqual(audit.first?["entity_type"], "breach_notice")
        XCTAssertEqual(try world.live.events("breach.notified").compactMap { $0["data"]?["entity_id"]?.stringValue }, [id])

        // The deadline is whole days of 24 h, whatever the calendar.
        for (days, deadline) in [(1, "2030-06-02T10:00:00Z"), (365, "2031-06-01T10:00:00Z"), (0, "2030-06-01T10:00:00Z")] {
            let notice = try world.api.post(world.noticesPath(world.a), ["reason": "Retard", "cure_days": .int(Int64(days))])
            XCTAssertEqual(notice.status, 201, notice.text)
            XCTAssertEqual(notice.json?["cure_deadline"], .string(deadline), "cure_days \(days)")
            if days == 0 { break }
            // Cured at once, so that A is not defaulting for the next one.
            XCTAssertEqual(try world.api.post("/v1/breach-notices/\(notice.json?["id"]?.stringValue ?? "")/cure").status, 200)
        }
        // The partner keys of the convention see the notice; others do not.
        let partnerA = world.live.client(token: try world.live.token(role: "partner", partnerID: world.a))
        XCTAssertEqual(try partnerA.get("/v1/breach-notices/\(id)").status, 200)
        let outsider = world.live.client(token: try world.live.token(role: "partner", partnerID: world.outsider))
        XCTAssertEqual(try outsider.get("/v1/breach-notices/\(id)").status, 404)
    }

    func testIssueRefusals() throws {
        let world = try BreachWorld()
        let api = world.api
        let path = world.noticesPath(world.b)
        let partnerB = world.live.client(token: try world.live.token(role: "partner", partnerID: world.b))
        let reader = world.live.client(token: try world.live.token(role: "reader"))
        let auditBefore = try world.live.count("audit")

        let cases: [(name: String, body: JSON, field: String)] = [
            ("cure_days -1", ["reason": "Retard", "cure_days": -1], "cure_days"),
            ("cure_days 366", ["reason": "Retard", "cure_days": 366], "cure_days"),
            ("cure_days fractional", ["reason": "Retard", "cure_days": 1.5], "cure_days"),
            ("cure_days a string", ["reason": "Retard", "cure_days": "30"], "cure_days"),
            ("no cure_days", ["reason": "Retard"], "cure_days"),
            ("no reason", ["cure_days": 30], "reason"),
            ("blank reason", ["reason": "   ", "cure_days": 30], "reason"),
            ("unknown field", ["reason": "Retard", "cure_days": 30, "cure_deadline": "2030-07-01T10:00:00Z"], "cure_deadline"),
        ]
        for item in cases {
            let response = try api.post(path, item.body)
            XCTAssertEqual(response.status, 422, "\(item.name): \(response.text)")
            XCTAssertEqual(response.code, "validation_failed", item.name)
            XCTAssertEqual(response.errorFields, [item.field], item.name)
        }
        let valid: JSON = ["reason": "Retard", "cure_days": 30]
        // A partner that is not a party, or does not exist; a convention that does not exist: 404.
        for missing in [world.noticesPath(world.outsider), world.noticesPath("prt_does_not_exist"),
                        "/v1/conventions/cnv_does_not_exist/parties/\(world.b)/breach-notices"] {
            let response = try api.post(missing, valid)
            XCTAssertEqual(response.status, 404, "\(missing): \(response.text)")
            XCTAssertEqual(response.code, "not_found", missing)
        }
        // A convention not in force: 409.
        let draft = try world.fx.convention(project: world.project, parties: [(world.a, 10), (world.b, 10)])
        let onDraft = try api.post("/v1/conventions/\(draft)/parties/\(world.b)/breach-notices", valid)
        XCTAssertEqual(onDraft.status, 409, onDraft.text)
        XCTAssertEqual(onDraft.code, "invalid_transition")
        XCTAssertEqual(try api.post("/v1/conventions/\(draft)/submit").status, 200)
        XCTAssertEqual(try api.post("/v1/conventions/\(draft)/parties/\(world.b)/breach-notices", valid).status, 409)
        // Only admins and editors give notice.
        XCTAssertEqual(try partnerB.post(path, valid).status, 403)
        XCTAssertEqual(try reader.post(path, valid).status, 403)
        XCTAssertEqual(try world.live.count("breach_notices"), 0, "no refused notice may be stored")
        XCTAssertEqual(try world.live.count("audit"), auditBefore + 2, "only the draft and its submission were written")

        // A party already defaulting: 409.
        XCTAssertEqual(try api.post("/v1/conventions/\(world.convention)/parties/\(world.b)/default", ["reason": "Manquement"]).status, 200)
        let defaulting = try api.post(path, valid)
        XCTAssertEqual(defaulting.status, 409, defaulting.text)
        XCTAssertEqual(defaulting.code, "conflict")
        XCTAssertEqual(try world.live.count("breach_notices"), 0)
        // Lifted, it can be given notice again.
        XCTAssertEqual(try api.delete("/v1/conventions/\(world.convention)/parties/\(world.b)/default").status, 200)
        XCTAssertEqual(try api.post(path, valid).status, 201)
    }

    // MARK: - Cure

    func testCureBeforeTheDeadline() throws {
        let world = try BreachWorld()
        let id = try world.notice(world.b, cureDays: 10)
        world.live.setClock("2030-06-11T10:00:00Z")  // the deadline itself: still open
        XCTAssertEqual(try world.api.get("/v1/breach-notices/\(id)").json?["status"], "open")
        let stale = try world.api.post("/v1/breach-notices/\(id)/cure", headers: [("If-Match", "\"2\"")])
        XCTAssertEqual(stale.status, 412, stale.text)
        let withBody = try world.api.post("/v1/breach-notices/\(id)/cure", ["reason": "Payé"])
        XCTAssertEqual(withBody.status, 422, withBody.text)
        XCTAssertEqual(withBody.errorFields, ["reason"])
        let partnerB = world.live.client(token: try world.live.token(role: "partner", partnerID: world.b))
        XCTAssertEqual(try partnerB.post("/v1/breach-notices/\(id)/cure").status, 403)
        XCTAssertEqual(try world.live.count("audit", where: "action = 'breach.cured'", []), 0)

        let cured = try world.api.post("/v1/breach-notices/\(id)/cure", headers: [("If-Match", "\"1\"")])
        XCTAssertEqual(cured.status, 200, cured.text)
        XCTAssertEqual(cured.header("ETag"), "\"2\"")
        XCTAssertEqual(cured.json?["status"], "cured")
        XCTAssertEqual(cured.json?["cured_at"], "2030-06-11T10:00:00Z")
        XCTAssertEqual(cured.json?["version"], 2)
        let events = try world.live.events("breach.cured")
        XCTAssertEqual(events.compactMap { $0["data"]?["entity_id"]?.stringValue }, [id])
        XCTAssertEqual(events.first?["data"]?["changes"]?["partner_id"], .string(world.b))

        // Cured for good: time passing neither lapses it nor makes B default.
        world.live.setClock("2030-09-01T00:00:00Z")
        try world.live.registry.settleDueDates()
        XCTAssertEqual(try world.api.get("/v1/breach-notices/\(id)").json?["status"], "cured")
        XCTAssertEqual(partyEntry(try world.api.get(world.conventionPath).json, world.b)?["defaulting"], false)
        XCTAssertEqual(try world.live.events("party.defaulted").count, 0)
        // Curing twice: 409.
        let twice = try world.api.post("/v1/breach-notices/\(id)/cure")
        XCTAssertEqual(twice.status, 409, twice.text)
        XCTAssertEqual(twice.code, "invalid_transition")
        XCTAssertEqual(try world.live.events("breach.cured").count, 1)
    }

    func testCureAfterTheDeadlineIsRefused() throws {
        let world = try BreachWorld()
        let id = try world.notice(world.b, cureDays: 10)
        world.live.setClock("2030-06-11T10:00:01Z")
        let late = try world.api.post("/v1/breach-notices/\(id)/cure")
        XCTAssertEqual(late.status, 409, late.text)
        XCTAssertEqual(late.code, "invalid_transition")
        XCTAssertEqual(try world.api.get("/v1/breach-notices/\(id)").json?["status"], "lapsed")
        XCTAssertEqual(try world.live.events("breach.cured").count, 0)
        // Also once the lapse is recorded.
        try world.live.registry.settleDueDates()
        XCTAssertEqual(try world.api.post("/v1/breach-notices/\(id)/cure").status, 409)
        XCTAssertEqual(try world.api.get("/v1/breach-notices/\(id)").json?["status"], "lapsed")
        XCTAssertEqual(try world.live.count("audit", where: "action = 'breach.cured'", []), 0)
    }

    // MARK: - Lapse into default

    func testLapseMakesThePartyDefault() throws {
        let world = try BreachWorld()
        let api = world.api
        // A decision opened before the notice: B has weight in it.
        let before = try world.decision("Avant")
        XCTAssertEqual(try api.post("/v1/decisions/\(before)/votes", ["partner_id": .string(world.a), "choice": "yes"]).status, 201)
        let id = try world.notice(world.b, cureDays: 10, reason: "Salle non mise à disposition")

        // At the deadline: still open, B not defaulting, B may vote.
        world.live.setClock("2030-06-11T10:00:00Z")
        XCTAssertEqual(try api.get("/v1/breach-notices/\(id)").json?["status"], "open")
        XCTAssertEqual(partyEntry(try api.get(world.conventionPath).json, world.b)?["defaulting"], false)
        let open = try world.decision("À l'échéance")
        XCTAssertEqual(try api.get("/v1/decisions/\(open)").json?["tally"]?["parties_total"], 3)

        // One second later: lapsed, and B is defaulting at once (nothing persisted yet).
        world.live.setClock("2030-06-11T10:00:01Z")
        let lapsed = try api.get("/v1/breach-notices/\(id)")
        XCTAssertEqual(lapsed.json?["status"], "lapsed")
        XCTAssertEqual(lapsed.json?["lapsed_at"], "2030-06-11T10:00:00Z")
        let convention = try api.get(world.conventionPath)
        XCTAssertEqual(partyEntry(convention.json, world.b)?["defaulting"], true)
        XCTAssertEqual(partyEntry(convention.json, world.a)?["defaulting"], false)
        XCTAssertEqual(try world.live.count("party_defaults"), 0, "read so before the job records it")
        XCTAssertEqual(try world.live.count("breach_notices", where: "status = 'open'", []), 1)
        // B may not vote, even on a decision opened before.
        let vote = try api.post("/v1/decisions/\(before)/votes", ["partner_id": .string(world.b), "choice": "no"])
        XCTAssertEqual(vote.status, 409, vote.text)
        XCTAssertEqual(vote.code, "conflict")
        XCTAssertEqual(try api.post("/v1/decisions/\(open)/votes", ["partner_id": .string(world.b), "choice": "no"]).status, 409)
        XCTAssertEqual(try api.get("/v1/decisions/\(before)").json?["votes"]?.arrayValue?.count, 1)
        // A decision opened now leaves B out of the weights.
        let after = try world.decision("Après")
        let opened = try api.get("/v1/decisions/\(after)")
        XCTAssertEqual(opened.json?["tally"]?["parties_total"], 2)
        let voted = try api.post("/v1/decisions/\(after)/votes", ["partner_id": .string(world.a), "choice": "yes"])
        XCTAssertEqual(voted.status, 201, voted.text)
        XCTAssertEqual(voted.json?["votes"]?.arrayValue?.first?["weight"]?.doubleValue ?? 0, 0.5, accuracy: 1e-9)
        let rights = try api.get("\(world.conventionPath)/decision-rights")
        let rightsB = rights.json?["partners"]?.arrayValue?.first { $0["partner_id"] == .string(world.b) }
        XCTAssertEqual(rightsB?["defaulting"], true)
        XCTAssertEqual(rightsB?["weight"]?.doubleValue, 0)
        // Another notice to a defaulting party: 409.
        XCTAssertEqual(try api.post(world.noticesPath(world.b), ["reason": "Encore", "cure_days": 5]).status, 409)

        // The job records it: the notice lapsed, the default row, one party.defaulted event.
        try world.live.registry.settleDueDates()
        try world.live.registry.settleDueDates()
        XCTAssertEqual(try world.live.count("party_defaults", where: "convention_id = ? AND partner_id = ?", [world.convention, world.b]), 1)
        XCTAssertEqual(try world.live.count("party_defaults", where: "reason = ?", ["Salle non mise à disposition"]), 1)
        XCTAssertEqual(try world.live.count("breach_notices", where: "status = 'lapsed'", []), 1)
        let defaulted = try world.live.events("party.defaulted")
        XCTAssertEqual(defaulted.count, 1, "\(defaulted)")
        XCTAssertEqual(defaulted.first?["data"]?["entity_id"], .string(world.convention))
        XCTAssertEqual(defaulted.first?["data"]?["changes"]?["partner_id"], .string(world.b))
        XCTAssertEqual(defaulted.first?["data"]?["changes"]?["breach_notice_id"], .string(id))
        XCTAssertEqual(defaulted.first?["data"]?["changes"]?["reason"], "Salle non mise à disposition")
        XCTAssertEqual(try api.get("/v1/breach-notices/\(id)").json?["status"], "lapsed")
        XCTAssertEqual(partyEntry(try api.get(world.conventionPath).json, world.b)?["defaulting"], true)

        // DELETE .../default lifts it, for good.
        let lifted = try api.delete("/v1/conventions/\(world.convention)/parties/\(world.b)/default")
        XCTAssertEqual(lifted.status, 200, lifted.text)
        XCTAssertEqual(partyEntry(lifted.json, world.b)?["defaulting"], false)
        world.live.setClock("2030-12-31T00:00:00Z")
        try world.live.registry.settleDueDates()
        XCTAssertEqual(partyEntry(try api.get(world.conventionPath).json, world.b)?["defaulting"], false)
        XCTAssertEqual(try api.get("/v1/breach-notices/\(id)").json?["status"], "lapsed", "the notice stays lapsed")
        XCTAssertEqual(try world.live.count("party_defaults"), 0)
        XCTAssertEqual(try world.live.events("party.defaulted").count, 1)
        XCTAssertEqual(try world.live.events("party.default_lifted").count, 1)
        let later = try world.decision("Plus tard")
        XCTAssertEqual(try api.get("/v1/decisions/\(later)").json?["tally"]?["parties_total"], 3)
        XCTAssertEqual(try api.post("/v1/decisions/\(later)/votes", ["partner_id": .string(world.b), "choice": "yes"]).status, 201)
    }

    func testCureDaysZeroLapsesRightAfterIssue() throws {
        let world = try BreachWorld()
        let api = world.api
        let id = try world.notice(world.b, cureDays: 0, reason: "Manquement grave")
        let issued = try api.get("/v1/breach-notices/\(id)")
        XCTAssertEqual(issued.json?["cure_deadline"], issued.json?["issued_at"])
        // A breach that cannot be cured.
        let cure = try api.post("/v1/breach-notices/\(id)/cure")
        XCTAssertEqual(cure.status, 409, cure.text)
        XCTAssertEqual(cure.code, "invalid_transition")

        world.live.setClock("2030-06-01T10:00:01Z")
        XCTAssertEqual(try api.get("/v1/breach-notices/\(id)").json?["status"], "lapsed")
        XCTAssertEqual(partyEntry(try api.get(world.conventionPath).json, world.b)?["defaulting"], true)

        // Lifted before the job ran: the lapse is recorded first, then lifted, for good.
        let lifted = try api.delete("/v1/conventions/\(world.convention)/parties/\(world.b)/default")
        XCTAssertEqual(lifted.status, 200, lifted.text)
        XCTAssertEqual(partyEntry(lifted.json, world.b)?["defaulting"], false)
        try world.live.registry.settleDueDates()
        XCTAssertEqual(partyEntry(try api.get(world.conventionPath).json, world.b)?["defaulting"], false)
        XCTAssertEqual(try world.live.count("party_defaults"), 0)
        XCTAssertEqual(try api.get("/v1/breach-notices/\(id)").json?["status"], "lapsed")
        let types = try world.live.events().compactMap { $0["type"]?.stringValue }.filter { $0.hasPrefix("party.") }
        XCTAssertEqual(types, ["party.defaulted", "party.default_lifted"])
        // Lifting twice: 409.
        XCTAssertEqual(try api.delete("/v1/conventions/\(world.convention)/parties/\(world.b)/default").status, 409)
    }

    func testANoticeLapsingForAPartyAlreadyDefaultingAddsNothing() throws {
        let world = try BreachWorld()
        let api = world.api
        let id = try world.notice(world.b, cureDays: 10)
        // Marked defaulting by hand while the notice runs.
        XCTAssertEqual(try api.post("\(world.conventionPath)/parties/\(world.b)/default", ["reason": "Manquement constaté"]).status, 200)
        world.live.setClock("2030-06-11T10:00:01Z")
        try world.live.registry.settleDueDates()
        try world.live.registry.settleDueDates()
        XCTAssertEqual(try api.get("/v1/breach-notices/\(id)").json?["status"], "lapsed")
        XCTAssertEqual(try world.live.count("breach_notices", where: "status = 'lapsed'", []), 1)
        XCTAssertEqual(try world.live.count("party_defaults", where: "partner_id = ? AND reason = ?", [world.b, "Manquement constaté"]), 1,
                       "the default by hand stands, with its reason")
        XCTAssertEqual(try world.live.count("party_defaults"), 1)
        XCTAssertEqual(try world.live.events("party.defaulted").count, 1, "defaulted once, by hand")
        // One lift is enough.
        XCTAssertEqual(try api.delete("\(world.conventionPath)/parties/\(world.b)/default").status, 200)
        XCTAssertEqual(partyEntry(try api.get(world.conventionPath).json, world.b)?["defaulting"], false)
    }

    func testConcurrentSettlingRecordsEachLapseOnce() throws {
        let world = try BreachWorld()
        for partner in [world.a, world.b, world.c] { _ = try world.notice(partner, cureDays: 1) }
        world.live.setClock("2030-06-02T10:00:01Z")
        let registry = world.live.registry
        let failures = LockedCounter()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            do { try registry.settleDueDates() } catch { failures.add() }
        }
        XCTAssertEqual(failures.value, 0)
        XCTAssertEqual(try world.live.events("party.defaulted").count, 3)
        XCTAssertEqual(try world.live.count("party_defaults"), 3)
    }

    func testANoticeToAPartyAmendedOutLapsesWithoutDefault() throws {
        let world = try BreachWorld()
        let api = world.api
        let id = try world.notice(world.c, cureDays: 5)
        // An amendment leaves C out before the deadline.
        let parties = try XCTUnwrap(try api.get(world.conventionPath).json?["parties"]?.arrayValue)
        let remaining: [JSON] = parties.filter { $0["partner_id"] != .string(world.c) }.map { party in
            ["partner_id": party["partner_id"] ?? .null, "contributions": .array((party["contributions"]?.arrayValue ?? []).map { item in
                ["id": item["id"] ?? .null, "kind": "financial", "description": "Apport", "value_cents": item["value_cents"] ?? .null]
            })]
        }
        XCTAssertEqual(try api.post("\(world.conventionPath)/amendments", ["summary": "Sans C", "changes": ["parties": .array(remaining)]]).status, 201)
        for partner in [world.a, world.b] {
            XCTAssertEqual(try api.post("\(world.conventionPath)/amendments/1/signatures", ["partner_id": .string(partner), "signatory": "S"]).status, 201)
        }
        XCTAssertEqual(try api.get(world.conventionPath).json?["parties"]?.arrayValue?.count, 2)
        let version = try api.get(world.conventionPath).json?["version"]

        world.live.setClock("2030-06-06T10:00:01Z")
        XCTAssertEqual(try api.get("/v1/breach-notices/\(id)").json?["status"], "lapsed")
        try world.live.registry.settleDueDates()
        XCTAssertEqual(try world.live.count("breach_notices", where: "status = 'lapsed'", []), 1, "the lapse is recorded")
        XCTAssertEqual(try world.live.count("party_defaults"), 0, "C has no seat to default from")
        XCTAssertEqual(try world.live.events("party.defaulted").count, 0)
        XCTAssertEqual(try api.get(world.conventionPath).json?["version"], version, "the convention is untouched")
        // The parties left keep their full weight.
        let decision = try world.decision("Entre A et B")
        XCTAssertEqual(try api.get("/v1/decisions/\(decision)").json?["tally"]?["parties_total"], 2)
    }
}

/// A convention in force between A, B and C (equal votes) since
/// 2030-06-01T10:00:00Z, where the clock stays; `outsider` is no party.
private struct BreachWorld {
    let live: LiveServer
    let api: APIClient
    let fx: Fixtures
    let a: String, b: String, c: String, outsider: String
    let project: String
    let convention: String

    var conventionPath: String { "/v1/conventions/\(convention)" }

    init() throws {
        live = try LiveServer()
        live.setClock("2030-06-01T10:00:00Z")
        api = live.client()
        fx = Fixtures(client: api)
        a = try fx.partner("Musée A")
        b = try fx.partner("Théâtre B")
        c = try fx.partner("Ville C", kind: "local_authority")
        outsider = try fx.partner("Fondation D", kind: "foundation")
        project = try fx.project()
        convention = try fx.convention(project: project, parties: [(a, 100), (b, 100), (c, 100)])
        try fx.bringIntoForce(convention, parties: [a, b, c])
    }

    func noticesPath(_ partner: String) -> String { "/v1/conventions/\(convention)/parties/\(partner)/breach-notices" }

    func notice(_ partner: String, cureDays: Int64, reason: String = "Apport non versé") throws -> String {
        let response = try api.post(noticesPath(partner), ["reason": .string(reason), "cure_days": .int(cureDays)])
        guard response.status == 201, let id = response.json?["id"]?.stringValue else { throw TestFailure("notice: \(response.status) \(response.text)") }
        return id
    }

    func decision(_ title: String) throws -> String {
        let response = try api.post("/v1/conventions/\(convention)/decisions", ["title": .string(title)])
        guard response.status == 201, let id = response.json?["id"]?.stringValue else { throw TestFailure("decision: \(response.status) \(response.text)") }
        return id
    }
}

private func partyEntry(_ convention: JSON?, _ partnerID: String) -> JSON? {
    convention?["parties"]?.arrayValue?.first { $0["partner_id"]?.stringValue == partnerID }
}
