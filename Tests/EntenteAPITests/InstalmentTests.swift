import Foundation
import XCTest
import JSON

/// Instalments on contributions (API.md §14): a schedule that adds up to the
/// pledge, carried through drafts and amendments; `due_cents` and
/// `overdue_cents` judged on the registry's clock while the convention is in
/// force; `contribution.overdue` once per instalment that falls due undelivered.
final class InstalmentTests: XCTestCase {

    // MARK: - Validation

    func testScheduleValidation() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("Musée A"), b = try fx.partner("Théâtre B")
        let project = try fx.project()
        let first = "parties[0].contributions[0]."

        // A's pledge of 100 000 cents with this `instalments` member.
        let cases: [(name: String, instalments: JSON, field: String)] = [
            ("sum below the pledge", [due("2030-02-01", 40_000), due("2030-03-01", 50_000)], first + "instalments"),
            ("sum above the pledge", [due("2030-02-01", 100_000), due("2030-03-01", 1)], first + "instalments"),
            ("impossible date", [due("2030-02-30", 100_000)], first + "instalments[0].due_on"),
            ("not a date", [due("01/02/2030", 100_000)], first + "instalments[0].due_on"),
            ("an instant, not a date", [due("2030-02-01T00:00:00Z", 100_000)], first + "instalments[0].due_on"),
            ("no due_on", [["value_cents": 100_000]], first + "instalments[0].due_on"),
            ("no value_cents", [["due_on": "2030-02-01"]], first + "instalments[0].value_cents"),
            ("value 0", [due("2030-02-01", 0), due("2030-03-01", 100_000)], first + "instalments[0].value_cents"),
            ("negative value", [due("2030-02-01", -1), due("2030-03-01", 100_001)], first + "instalments[0].value_cents"),
            ("fractional value", [["due_on": "2030-02-01", "value_cents": 100_000.5]], first + "instalments[0].value_cents"),
            ("the second one faulty", [due("2030-02-01", 50_000), due("2030-13-01", 50_000)], first + "instalments[1].due_on"),
            ("two on one day", [due("2030-02-01", 50_000), due("2030-02-01", 50_000)], first + "instalments"),
            ("unknown key", [["due_on": "2030-02-01", "value_cents": 100_000, "note": "first"]], first + "instalments[0].note"),
            ("not an array", "monthly", first + "instalments"),
            ("an object, not an array", due("2030-02-01", 100_000), first + "instalments"),
            ("an item that is not an object", [100_000], first + "instalments[0]"),
        ]
        for item in cases {
            let body = conventionBody(project: project, parties: [
                party(a, [contribution(100_000, instalments: item.instalments)]),
                party(b, [contribution(50_000)]),
            ])
            let response = try api.post("/v1/conventions", body)
            XCTAssertEqual(response.status, 422, "\(item.name): \(response.text)")
            XCTAssertEqual(response.code, "validation_failed", item.name)
            XCTAssertEqual(response.errorFields, [item.field], item.name)
        }

        // The field names the party and the contribution at fault.
        let second = try api.post("/v1/conventions", conventionBody(project: project, parties: [
            party(a, [contribution(100_000)]),
            party(b, [contribution(10_000), contribution(50_000, instalments: [due("2030-02-01", 49_999)])]),
        ]))
        XCTAssertEqual(second.status, 422, second.text)
        XCTAssertEqual(second.errorFields, ["parties[1].contributions[1].instalments"])
        XCTAssertEqual(try live.count("conventions"), 0, "no refused convention may be stored")
        XCTAssertEqual(try live.count("audit", where: "action = 'convention.created'", []), 0)

        // An exact sum, a single instalment, and an empty schedule are fine.
        let ok = try api.post("/v1/conventions", conventionBody(project: project, parties: [
            party(a, [contribution(100_000, instalments: [due("2030-02-01", 99_999), due("2030-02-02", 1)])]),
            party(b, [contribution(50_000, instalments: [due("2030-02-01", 50_000)]), contribution(7, instalments: [])]),
        ]))
        XCTAssertEqual(ok.status, 201, ok.text)
        XCTAssertEqual(contributions(ok.json, a).first?["instalments"], [due("2030-02-01", 99_999), due("2030-02-02", 1)])
        XCTAssertEqual(contributions(ok.json, b).first?["instalments"], [due("2030-02-01", 50_000)])
        XCTAssertEqual(contributions(ok.json, b).last?["instalments"], .array([]))
        XCTAssertEqual(try live.count("conventions"), 1)

        // A draft's PATCH is validated the same way, and a refused one changes nothing.
        let id = try XCTUnwrap(ok.json?["id"]?.stringValue)
        let badPatch = try api.patch("/v1/conventions/\(id)", ["parties": [
            party(a, [contribution(100_000, instalments: [due("2030-02-01", 1)])]),
            party(b, [contribution(50_000)]),
        ]])
        XCTAssertEqual(badPatch.status, 422, badPatch.text)
        XCTAssertEqual(badPatch.errorFields, [first + "instalments"])
        let unchanged = try api.get("/v1/conventions/\(id)")
        XCTAssertEqual(unchanged.json?["version"], 1)
        XCTAssertEqual(contributions(unchanged.json, a).first?["instalments"], [due("2030-02-01", 99_999), due("2030-02-02", 1)])
    }

    func testAnAmendmentsScheduleIsValidated() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("Musée A"), b = try fx.partner("Théâtre B")
        let id = try fx.convention(project: try fx.project(), parties: [(a, 100_000), (b, 50_000)])
        try fx.bringIntoForce(id, parties: [a, b])
        let contributionA = try XCTUnwrap(contributions(try api.get("/v1/conventions/\(id)").json, a).first?["id"]?.stringValue)
        let auditBefore = try live.count("audit")

        let bad = try api.post("/v1/conventions/\(id)/amendments", ["summary": "Échéancier", "changes": ["parties": [
            party(a, [contribution(100_000, id: contributionA, instalments: [due("2030-02-01", 60_000), due("2030-02-01", 40_000)])]),
            party(b, [contribution(50_000)]),
        ]]])
        XCTAssertEqual(bad.status, 422, bad.text)
        XCTAssertEqual(bad.errorFields, ["changes.parties[0].contributions[0].instalments"])
        XCTAssertEqual(try live.count("amendments"), 0)
        XCTAssertEqual(try live.count("audit"), auditBefore, "a refused amendment changes nothing")
    }

    // MARK: - Order, drafts, amendments

    func testInstalmentsAreKeptInDateOrder() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("Musée A"), b = try fx.partner("Théâtre B")
        let created = try api.post("/v1/conventions", conventionBody(project: try fx.project(), parties: [
            party(a, [contribution(100_000, instalments: [due("2030-03-01", 60_000), due("2029-12-15", 10_000), due("2030-02-01", 30_000)])]),
            party(b, [contribution(50_000)]),
        ]))
        XCTAssertEqual(created.status, 201, created.text)
        let sorted: JSON = [due("2029-12-15", 10_000), due("2030-02-01", 30_000), due("2030-03-01", 60_000)]
        XCTAssertEqual(contributions(created.json, a).first?["instalments"], sorted)
        let id = try XCTUnwrap(created.json?["id"]?.stringValue)
        XCTAssertEqual(contributions(try api.get("/v1/conventions/\(id)").json, a).first?["instalments"], sorted)
        // Each instalment is exactly {due_on, value_cents}, in that order.
        let firstInstalment = try XCTUnwrap(contributions(created.json, a).first?["instalments"]?.arrayValue?.first?.objectValue)
        XCTAssertEqual(firstInstalment.keys, ["due_on", "value_cents"])
        // A contribution without a schedule shows an empty one.
        XCTAssertEqual(contributions(created.json, b).first?["instalments"], .array([]))
    }

    func testScheduleCarriedThroughDraftPatchAndAmendment() throws {
        let live = try LiveServer()
        live.setClock("2030-01-10T12:00:00Z")
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("Musée A"), b = try fx.partner("Théâtre B")
        let original: JSON = [due("2030-02-01", 40_000), due("2030-03-01", 60_000)]
        let created = try api.post("/v1/conventions", conventionBody(project: try fx.project(), parties: [
            party(a, [contribution(100_000, instalments: original)]),
            party(b, [contribution(50_000)]),
        ]))
        XCTAssertEqual(created.status, 201, created.text)
        let id = try XCTUnwrap(created.json?["id"]?.stringValue)
        let path = "/v1/conventions/\(id)"
        let contributionA = try XCTUnwrap(contributions(created.json, a).first?["id"]?.stringValue)
        let contributionB = try XCTUnwrap(contributions(created.json, b).first?["id"]?.stringValue)

        // A PATCH that leaves the parties alone keeps the schedule.
        let retitled = try api.patch(path, ["title": "Convention cadre"])
        XCTAssertEqual(retitled.status, 200, retitled.text)
        XCTAssertEqual(contributions(retitled.json, a).first?["instalments"], original)

        // A PATCH of the parties replaces it.
        let rescheduled: JSON = [due("2030-02-15", 100_000)]
        let patched = try api.patch(path, ["parties": [
            party(a, [contribution(100_000, id: contributionA, instalments: rescheduled)]),
            party(b, [contribution(50_000, id: contributionB)]),
        ]])
        XCTAssertEqual(patched.status, 200, patched.text)
        XCTAssertEqual(patched.json?["version"], 3)
        XCTAssertEqual(contributions(patched.json, a).first?["instalments"], rescheduled)
        XCTAssertEqual(contributions(try api.get(path).json, a).first?["instalments"], rescheduled)

        // In force: revision 1 holds it.
        try fx.bringIntoForce(id, parties: [a, b])
        XCTAssertEqual(contributions(try api.get("\(path)/revisions/1").json, a).first?["instalments"], rescheduled)
        XCTAssertEqual(try api.patch("\(path)/contributions/\(contributionA)", ["delivered_cents": 20_000]).status, 200)

        // An amendment that changes the parties' schedules.
        let amendedA: JSON = [due("2030-02-15", 50_000), due("2030-04-15", 50_000)]
        let amendedB: JSON = [due("2030-05-01", 25_000), due("2030-06-01", 25_000)]
        let proposed = try api.post("\(path)/amendments", ["summary": "Échéancier révisé", "changes": ["parties": [
            party(a, [contribution(100_000, id: contributionA, instalments: [due("2030-04-15", 50_000), due("2030-02-15", 50_000)])]),
            party(b, [contribution(50_000, id: contributionB, instalments: amendedB)]),
        ]]])
        XCTAssertEqual(proposed.status, 201, proposed.text)
        // Not applied yet.
        XCTAssertEqual(contributions(try api.get(path).json, a).first?["instalments"], rescheduled)
        for partner in [a, b] {
            let signed = try api.post("\(path)/amendments/1/signatures", ["partner_id": .string(partner), "signatory": "Signataire"])
            XCTAssertEqual(signed.status, 201, signed.text)
        }
        let amended = try api.get(path)
        XCTAssertEqual(amended.json?["revision"], 2)
        XCTAssertEqual(contributions(amended.json, a).first?["instalments"], amendedA, "sorted, as on creation")
        XCTAssertEqual(contributions(amended.json, b).first?["instalments"], amendedB)
        XCTAssertEqual(contributions(amended.json, a).first?["delivered_cents"], 20_000, "a kept contribution keeps its deliveries")
        let revision2 = try api.get("\(path)/revisions/2")
        XCTAssertEqual(revision2.status, 200, revision2.text)
        XCTAssertEqual(contributions(revision2.json, a).first?["instalments"], amendedA)
        XCTAssertEqual(contributions(revision2.json, b).first?["instalments"], amendedB)
        // The text before is unchanged.
        XCTAssertEqual(contributions(try api.get("\(path)/revisions/1").json, a).first?["instalments"], rescheduled)
        XCTAssertEqual(contributions(try api.get("\(path)/revisions/1").json, b).first?["instalments"], .array([]))
    }

    // MARK: - Due and overdue amounts

    func testDueAndOverdueAtTheBoundaries() throws {
        let live = try LiveServer()
        live.setClock("2030-01-10T12:00:00Z")
        let api = live.client()
        let world = try scheduledConvention(live)
        let path = "/v1/conventions/\(world.id)"

        func check(_ at: String, c1: (Int64, Int64), c2: (Int64, Int64), line: UInt = #line) throws {
            live.setClock(at, line: line)
            for response in [try api.get(path), try listed(api, world.id)] {
                let json = response.json
                assertAmounts(amounts(contributions(json, world.a).first), c1, "c1 at \(at)", line: line)
                assertAmounts(amounts(contributions(json, world.a).last), c2, "c2 at \(at)", line: line)
                assertAmounts(amounts(partyEntry(json, world.a)), (c1.0 + c2.0, c1.1 + c2.1), "party A at \(at)", line: line)
                assertAmounts(amounts(contributions(json, world.b).first), (0, 0), "B has no schedule", line: line)
                assertAmounts(amounts(partyEntry(json, world.b)), (0, 0), line: line)
            }
        }
        try check("2030-01-10T12:00:00Z", c1: (0, 0), c2: (0, 0))
        // The day before the first due date: nothing due.
        try check("2030-01-31T23:59:59Z", c1: (0, 0), c2: (0, 0))
        // The day itself: due, and overdue as nothing is delivered.
        try check("2030-02-01T00:00:00Z", c1: (40_000, 40_000), c2: (5_000, 5_000))
        try check("2030-02-01T23:59:59Z", c1: (40_000, 40_000), c2: (5_000, 5_000))
        // The day after, and up to the next instalment.
        try check("2030-02-02T00:00:00Z", c1: (40_000, 40_000), c2: (5_000, 5_000))
        try check("2030-02-28T23:59:59Z", c1: (40_000, 40_000), c2: (5_000, 5_000))
        try check("2030-03-01T00:00:00Z", c1: (100_000, 100_000), c2: (5_000, 5_000))

        // Deliveries reduce what is overdue, never below zero; due stays.
        let partial = try api.patch("\(path)/contributions/\(world.c1)", ["delivered_cents": 30_000])
        XCTAssertEqual(partial.status, 200, partial.text)
        assertAmounts(amounts(contributions(partial.json, world.a).first), (100_000, 70_000))
        assertAmounts(amounts(partyEntry(partial.json, world.a)), (105_000, 75_000))
        let c2Delivered = try api.patch("\(path)/contributions/\(world.c2)", ["delivered_cents": 5_000])
        assertAmounts(amounts(contributions(c2Delivered.json, world.a).last), (5_000, 0))
        assertAmounts(amounts(partyEntry(c2Delivered.json, world.a)), (105_000, 70_000))
        let over = try api.patch("\(path)/contributions/\(world.c1)", ["delivered_cents": 120_000])
        assertAmounts(amounts(contributions(over.json, world.a).first), (100_000, 0), "a delivery above the pledge leaves nothing overdue")
        assertAmounts(amounts(partyEntry(over.json, world.a)), (105_000, 0))
        XCTAssertEqual(partyEntry(over.json, world.a)?["delivered_cents"], 125_000)
        // Back to a partial delivery: overdue again.
        let lowered = try api.patch("\(path)/contributions/\(world.c1)", ["delivered_cents": 99_999])
        assertAmounts(amounts(contributions(lowered.json, world.a).first), (100_000, 1))
        assertAmounts(amounts(partyEntry(try api.get(path).json, world.a)), (105_000, 1))
    }

    func testNothingFallsDueUnlessInForce() throws {
        let live = try LiveServer()
        live.setClock("2031-06-01T12:00:00Z")
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("Musée A"), b = try fx.partner("Théâtre B")
        let created = try api.post("/v1/conventions", conventionBody(project: try fx.project(), parties: [
            party(a, [contribution(100_000, instalments: [due("2030-02-01", 40_000), due("2030-03-01", 60_000)])]),
            party(b, [contribution(50_000, instalments: [due("2031-06-01", 50_000)])]),
        ]))
        XCTAssertEqual(created.status, 201, created.text)
        let id = try XCTUnwrap(created.json?["id"]?.stringValue)
        let path = "/v1/conventions/\(id)"
        // Every date has passed, but a draft owes nothing.
        for json in [created.json, try api.get(path).json, try listed(api, id).json] {
            assertAmounts(amounts(contributions(json, a).first), (0, 0))
            assertAmounts(amounts(partyEntry(json, a)), (0, 0))
            assertAmounts(amounts(partyEntry(json, b)), (0, 0))
        }
        // Nor does a convention awaiting signatures.
        XCTAssertEqual(try api.post("\(path)/submit").status, 200)
        assertAmounts(amounts(partyEntry(try api.get(path).json, a)), (0, 0))
        try live.registry.settleDueDates()
        XCTAssertEqual(try live.events("contribution.overdue").count, 0, "nothing falls due before the convention is in force")
        // In force: all of it.
        for partner in [a, b] {
            XCTAssertEqual(try api.post("\(path)/signatures", ["partner_id": .string(partner), "signatory": "S"]).status, 201)
        }
        let inForce = try api.get(path)
        XCTAssertEqual(inForce.json?["status"], "in_force")
        assertAmounts(amounts(partyEntry(inForce.json, a)), (100_000, 100_000))
        assertAmounts(amounts(partyEntry(inForce.json, b)), (50_000, 50_000), "an instalment due today is due")
        // Terminated: nothing is due any more.
        XCTAssertEqual(try api.post("\(path)/termination", ["reason": "Fin", "effective_on": "2031-06-01"]).status, 200)
        let terminated = try api.get(path)
        XCTAssertEqual(terminated.json?["status"], "terminated")
        assertAmounts(amounts(contributions(terminated.json, a).first), (0, 0))
        assertAmounts(amounts(partyEntry(terminated.json, a)), (0, 0))
        assertAmounts(amounts(partyEntry(terminated.json, b)), (0, 0))
    }

    // MARK: - contribution.overdue

    func testContributionOverdueFiresOncePerInstalment() throws {
        let live = try LiveServer()
        live.setClock("2030-01-10T12:00:00Z")
        let api = live.client()
        let world = try scheduledConvention(live)
        let path = "/v1/conventions/\(world.id)"

        func settleTwice() throws {
            try live.registry.settleDueDates()
            try live.registry.settleDueDates()
        }

        // c2's only instalment is delivered ahead of time.
        live.setClock("2030-01-20T09:00:00Z")
        XCTAssertEqual(try api.patch("\(path)/contributions/\(world.c2)", ["delivered_cents": 5_000]).status, 200)

        live.setClock("2030-01-31T23:59:59Z")
        try settleTwice()
        XCTAssertEqual(try live.events("contribution.overdue").count, 0, "nothing is due yet")

        live.setClock("2030-02-01T00:00:00Z")
        try settleTwice()
        var overdue = try live.events("contribution.overdue")
        XCTAssertEqual(overdue.count, 1, "once, for c1's first instalment only: \(overdue)")
        let first = try XCTUnwrap(overdue.first)
        XCTAssertEqual(first["data"]?["entity_type"], "convention")
        XCTAssertEqual(first["data"]?["entity_id"], .string(world.id))
        XCTAssertEqual(first["data"]?["actor"], "system")
        XCTAssertEqual(first["data"]?["changes"]?["contribution_id"], .string(world.c1))
        XCTAssertEqual(first["data"]?["changes"]?["partner_id"], .string(world.a))
        XCTAssertEqual(first["data"]?["changes"]?["due_on"], "2030-02-01")
        XCTAssertEqual(first["data"]?["changes"]?["overdue_cents"], 40_000)

        // Delivering it later neither repeats nor withdraws the event.
        live.setClock("2030-02-15T10:00:00Z")
        XCTAssertEqual(try api.patch("\(path)/contributions/\(world.c1)", ["delivered_cents": 40_000]).status, 200)
        try settleTwice()
        XCTAssertEqual(try live.events("contribution.overdue").count, 1)

        // The second instalment falls due undelivered: one more.
        live.setClock("2030-03-01T08:00:00Z")
        try settleTwice()
        overdue = try live.events("contribution.overdue")
        XCTAssertEqual(overdue.count, 2, "\(overdue)")
        XCTAssertEqual(overdue.last?["data"]?["changes"]?["contribution_id"], .string(world.c1))
        XCTAssertEqual(overdue.last?["data"]?["changes"]?["due_on"], "2030-03-01")
        XCTAssertEqual(overdue.last?["data"]?["changes"]?["overdue_cents"], 60_000)

        live.setClock("2031-01-01T00:00:00Z")
        try settleTwice()
        overdue = try live.events("contribution.overdue")
        XCTAssertEqual(overdue.count, 2)
        XCTAssertFalse(overdue.contains { $0["data"]?["changes"]?["contribution_id"] == .string(world.c2) },
                       "an instalment covered by deliveries never fires")
        XCTAssertEqual(try live.count("instalment_overdue_notices"), 2)
        // The feed is the audit trail: the audit shows the same two entries.
        let audit = try XCTUnwrap(try api.get("/v1/audit?entity_id=\(world.id)&limit=500").json?["items"]?.arrayValue)
        XCTAssertEqual(audit.filter { $0["action"] == "contribution.overdue" }.count, 2)
    }

    func testAnInstalmentCoveredByEarlierDeliveriesDoesNotFire() throws {
        let live = try LiveServer()
        live.setClock("2030-01-10T12:00:00Z")
        let api = live.client()
        let world = try scheduledConvention(live)
        // 40 000 delivered covers c1's first instalment, not the second.
        XCTAssertEqual(try api.patch("/v1/conventions/\(world.id)/contributions/\(world.c1)", ["delivered_cents": 40_000]).status, 200)
        live.setClock("2030-02-10T12:00:00Z")
        try live.registry.settleDueDates()
        let early = try live.events("contribution.overdue")
        XCTAssertEqual(early.map { $0["data"]?["changes"]?["contribution_id"] }, [.string(world.c2)], "only c2, undelivered")
        live.setClock("2030-03-10T12:00:00Z")
        try live.registry.settleDueDates()
        let late = try live.events("contribution.overdue")
        XCTAssertEqual(late.count, 2)
        XCTAssertEqual(late.last?["data"]?["changes"]?["contribution_id"], .string(world.c1))
        XCTAssertEqual(late.last?["data"]?["changes"]?["due_on"], "2030-03-01")
        XCTAssertEqual(late.last?["data"]?["changes"]?["overdue_cents"], 60_000)
        XCTAssertFalse(late.contains { $0["data"]?["changes"]?["due_on"] == "2030-02-01" && $0["data"]?["changes"]?["contribution_id"] == .string(world.c1) })
    }

    func testConcurrentSettlingFiresOnce() throws {
        let live = try LiveServer()
        live.setClock("2030-01-10T12:00:00Z")
        let world = try scheduledConvention(live)
        live.setClock("2030-03-01T00:00:00Z")
        let registry = live.registry
        let failures = LockedCounter()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            do { try registry.settleDueDates() } catch { failures.add() }
        }
        XCTAssertEqual(failures.value, 0)
        let fired = try live.events("contribution.overdue").compactMap { event -> String? in
            guard let changes = event["data"]?["changes"], let id = changes["contribution_id"]?.stringValue, let day = changes["due_on"]?.stringValue else { return nil }
            return id + "@" + day
        }
        XCTAssertEqual(fired.sorted(), ["\(world.c1)@2030-02-01", "\(world.c1)@2030-03-01", "\(world.c2)@2030-02-01"].sorted())
    }

    // MARK: - Helpers

    /// In force since 2030-01-10: A pledges c1 = 100 000 (40 000 on
    /// 2030-02-01, 60 000 on 2030-03-01) and c2 = 5 000 (on 2030-02-01);
    /// B pledges 50 000 with no schedule.
    private func scheduledConvention(_ live: LiveServer) throws -> (id: String, a: String, b: String, c1: String, c2: String) {
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("Musée A"), b = try fx.partner("Théâtre B")
        let created = try api.post("/v1/conventions", conventionBody(project: try fx.project(), parties: [
            party(a, [contribution(100_000, instalments: [due("2030-02-01", 40_000), due("2030-03-01", 60_000)]),
                      contribution(5_000, instalments: [due("2030-02-01", 5_000)])]),
            party(b, [contribution(50_000)]),
        ]))
        guard created.status == 201, let id = created.json?["id"]?.stringValue else { throw TestFailure("convention: \(created.status) \(created.text)") }
        try Fixtures(client: api).bringIntoForce(id, parties: [a, b])
        let mine = contributions(try api.get("/v1/conventions/\(id)").json, a)
        guard mine.count == 2, let c1 = mine[0]["id"]?.stringValue, let c2 = mine[1]["id"]?.stringValue else { throw TestFailure("contributions: \(mine)") }
        return (id, a, b, c1, c2)
    }

    /// The convention as `GET /v1/conventions` lists it.
    private func listed(_ api: APIClient, _ id: String) throws -> APIResponse {
        let list = try api.get("/v1/conventions?limit=500")
        let item = list.json?["items"]?.arrayValue?.first { $0["id"]?.stringValue == id }
        var bytes: [UInt8] = []
        (item ?? .null).write(to: &bytes)
        return APIResponse(status: list.status, headers: list.headers, body: bytes)
    }
}

private func due(_ date: String, _ cents: Int64) -> JSON {
    ["due_on": .string(date), "value_cents": .int(cents)]
}

private func contribution(_ cents: Int64, id: String? = nil, instalments: JSON? = nil) -> JSON {
    var object: JSONObject = ["kind": "financial", "description": "Apport", "value_cents": .int(cents)]
    if let id { object["id"] = .string(id) }
    if let instalments { object["instalments"] = instalments }
    return .object(object)
}

private func party(_ partnerID: String, _ contributions: [JSON]) -> JSON {
    ["partner_id": .string(partnerID), "contributions": .array(contributions)]
}

private func conventionBody(project: String, parties: [JSON]) -> JSON {
    ["project_id": .string(project), "title": "Convention de partenariat", "parties": .array(parties)]
}

private func partyEntry(_ convention: JSON?, _ partnerID: String) -> JSON? {
    convention?["parties"]?.arrayValue?.first { $0["partner_id"]?.stringValue == partnerID }
}

private func contributions(_ convention: JSON?, _ partnerID: String) -> [JSON] {
    partyEntry(convention, partnerID)?["contributions"]?.arrayValue ?? []
}

/// `(due_cents, overdue_cents)` of a party or a contribution; (-1, -1) when absent.
private func amounts(_ entry: JSON?) -> (Int64, Int64) {
    (entry?["due_cents"]?.intValue ?? -1, entry?["overdue_cents"]?.intValue ?? -1)
}

private func assertAmounts(_ actual: (Int64, Int64), _ expected: (Int64, Int64), _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssert(actual == expected, "\(actual) is not \(expected) \(message)", file: file, line: line)
}
