import Foundation
import XCTest
import JSON

/// Shared success indicators (API.md §8), the audit trail (§9) and the event
/// feed (§11).
final class IndicatorAuditEventTests: XCTestCase {
    private let accuracy = 1e-9

    // MARK: - Indicators

    func testIndicatorProgressAndLatest() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let project = try fx.project("Festival")

        let created = try api.post("/v1/projects/\(project)/indicators", ["name": "Visiteurs", "unit": "personnes", "target": 100, "direction": "increase"])
        XCTAssertEqual(created.status, 201, created.text)
        let id = try XCTUnwrap(created.json?["id"]?.stringValue)
        XCTAssertEqual(created.header("Location"), "/v1/indicators/\(id)")
        XCTAssertEqual(created.json?["project_id"], .string(project))
        XCTAssertEqual(created.json?["name"], "Visiteurs")
        XCTAssertEqual(created.json?["unit"], "personnes")
        XCTAssertEqual(created.json?["direction"], "increase")
        XCTAssertEqual(created.json?["latest"], .null)
        XCTAssertEqual(created.json?["progress"], .null, "null without measurements")
        XCTAssertEqual(created.json?["measurement_count"], 0)
        XCTAssertEqual(created.json?["version"], 1)

        let path = "/v1/indicators/\(id)"
        for (measuredOn, value) in [("2026-03-01", 5), ("2026-01-01", 9), ("2026-03-01", 7)] {
            let recorded = try api.post("\(path)/measurements", ["value": .int(Int64(value)), "measured_on": .string(measuredOn), "note": "relevé"])
            XCTAssertEqual(recorded.status, 201, recorded.text)
            XCTAssertEqual(recorded.json?["measured_on"], .string(measuredOn))
            XCTAssertEqual(try XCTUnwrap(recorded.json?["value"]?.doubleValue), Double(value), accuracy: accuracy)
            XCTAssertEqual(recorded.json?["version"], 1)
            XCTAssertEqual(recorded.json?["updated_at"], recorded.json?["created_at"])
            // Its Location answers with the same measurement.
            let location = try XCTUnwrap(recorded.header("Location"))
            XCTAssertEqual(location, "\(path)/measurements/\(recorded.json?["id"]?.stringValue ?? "")")
            let fetched = try api.get(location)
            XCTAssertEqual(fetched.status, 200, fetched.text)
            XCTAssertEqual(fetched.json, recorded.json)
            XCTAssertEqual(fetched.header("ETag"), "\"1\"")
        }
        XCTAssertEqual(try api.get("\(path)/measurements/msr_none").status, 404)
        let indicator = try api.get(path)
        XCTAssertEqual(indicator.status, 200, indicator.text)
        XCTAssertEqual(try XCTUnwrap(indicator.json?["latest"]?.doubleValue), 7, accuracy: accuracy,
                       "the latest measured_on, the last recorded among equals")
        XCTAssertEqual(indicator.json?["measurement_count"], 3)
        XCTAssertEqual(try XCTUnwrap(indicator.json?["progress"]?.doubleValue), 0.07, accuracy: accuracy, "(7 − 0) / (100 − 0)")

        // Listed by measured_on, then as recorded.
        let measurements = try api.get("\(path)/measurements")
        XCTAssertEqual(measurements.status, 200, measurements.text)
        let items = try XCTUnwrap(measurements.json?["items"]?.arrayValue)
        XCTAssertEqual(items.compactMap { $0["measured_on"]?.stringValue }, ["2026-01-01", "2026-03-01", "2026-03-01"])
        XCTAssertEqual(items.compactMap { $0["value"]?.doubleValue }, [9, 5, 7])
        XCTAssertEqual(items.first?["note"], "relevé")
        let firstPage = try api.get("\(path)/measurements?limit=2")
        XCTAssertEqual(firstPage.json?["items"]?.arrayValue?.compactMap { $0["value"]?.doubleValue }, [9, 5])
        let cursor = try XCTUnwrap(firstPage.json?["next_cursor"]?.stringValue)

        // An older measurement recorded later does not become the latest.
        XCTAssertEqual(try api.post("\(path)/measurements", ["value": 50, "measured_on": "2025-12-31"]).status, 201)
        // Nor does it shift the pages: the next one goes on after the last served.
        let secondPage = try api.get("\(path)/measurements?limit=2&cursor=\(cursor)")
        XCTAssertEqual(secondPage.json?["items"]?.arrayValue?.compactMap { $0["value"]?.doubleValue }, [7], secondPage.text)
        XCTAssertEqual(secondPage.json?["next_cursor"], .null)
        XCTAssertEqual(try api.get("\(path)/measurements?limit=0").status, 400)
        let afterOld = try api.get(path)
        XCTAssertEqual(try XCTUnwrap(afterOld.json?["latest"]?.doubleValue), 7, accuracy: accuracy)
        XCTAssertEqual(afterOld.json?["measurement_count"], 4)
        // A newer one does.
        XCTAssertEqual(try api.post("\(path)/measurements", ["value": 42.5, "measured_on": "2026-04-15"]).status, 201)
        let afterNew = try api.get(path)
        XCTAssertEqual(try XCTUnwrap(afterNew.json?["latest"]?.doubleValue), 42.5, accuracy: accuracy)
        XCTAssertEqual(try XCTUnwrap(afterNew.json?["progress"]?.doubleValue), 0.425, accuracy: accuracy)

        // The project's list carries the same figures.
        let list = try api.get("/v1/projects/\(project)/indicators")
        XCTAssertEqual(list.status, 200, list.text)
        let listed = try XCTUnwrap(list.json?["items"]?.arrayValue?.first)
        XCTAssertEqual(listed["id"], .string(id))
        XCTAssertEqual(listed["measurement_count"], 5)
        XCTAssertEqual(try XCTUnwrap(listed["latest"]?.doubleValue), 42.5, accuracy: accuracy)
        XCTAssertEqual(try XCTUnwrap(listed["progress"]?.doubleValue), 0.425, accuracy: accuracy)
    }

    func testIndicatorProgressWithBaseline() throws {
        let live = try LiveServer()
        let api = live.client()
        let project = try Fixtures(client: api).project()
        func indicator(_ body: JSON) throws -> String {
            let response = try api.post("/v1/projects/\(project)/indicators", body)
            XCTAssertEqual(response.status, 201, response.text)
            return try XCTUnwrap(response.json?["id"]?.stringValue)
        }
        func progress(_ id: String, after value: Double) throws -> Double? {
            XCTAssertEqual(try api.post("/v1/indicators/\(id)/measurements", ["value": .double(value), "measured_on": "2026-05-01"]).status, 201)
            return try api.get("/v1/indicators/\(id)").json?["progress"]?.doubleValue
        }
        let increase = try indicator(["name": "Public", "unit": "%", "baseline": 20, "target": 120, "direction": "increase"])
        XCTAssertEqual(try XCTUnwrap(progress(increase, after: 70)), 0.5, accuracy: accuracy, "(70 − 20) / (120 − 20)")
        let decrease = try indicator(["name": "CO2", "unit": "t", "baseline": 100, "target": 50, "direction": "decrease"])
        XCTAssertEqual(try XCTUnwrap(progress(decrease, after: 80)), 0.4, accuracy: accuracy, "(80 − 100) / (50 − 100)")
        let beyond = try indicator(["name": "Mécènes", "unit": "nb", "baseline": 10, "target": 20, "direction": "increase"])
        XCTAssertEqual(try XCTUnwrap(progress(beyond, after: 25)), 1.5, accuracy: accuracy, "progress is not clamped")
        let below = try indicator(["name": "Billets", "unit": "nb", "baseline": 10, "target": 20, "direction": "increase"])
        XCTAssertEqual(try XCTUnwrap(progress(below, after: 5)), -0.5, accuracy: accuracy)
        XCTAssertEqual(try api.get("/v1/indicators/\(increase)").json?["baseline"]?.doubleValue, 20)
    }

    func testIndicatorValidation() throws {
        let live = try LiveServer()
        let api = live.client()
        let project = try Fixtures(client: api).project()

        func expect422(_ path: String, _ body: JSON, field: String, line: UInt = #line) throws {
            let response = try api.post(path, body)
            XCTAssertEqual(response.status, 422, response.text, line: line)
            XCTAssertEqual(response.code, "validation_failed", line: line)
            XCTAssertTrue(response.errorFields.contains(field), "expected \(field) in \(response.errorFields)", line: line)
        }
        let create = "/v1/projects/\(project)/indicators"
        try expect422(create, ["unit": "nb", "target": 10, "direction": "increase"], field: "name")
        try expect422(create, ["name": "X", "unit": "nb", "direction": "increase"], field: "target")
        try expect422(create, ["name": "X", "unit": "nb", "target": 10, "direction": "sideways"], field: "direction")
        try expect422(create, ["name": "X", "unit": "nb", "target": "ten", "direction": "increase"], field: "target")
        try expect422(create, ["name": "X", "unit": "nb", "target": 10, "direction": "increase", "owner": "me"], field: "owner")
        XCTAssertEqual(try live.count("indicators"), 0)
        XCTAssertEqual(try api.post("/v1/projects/prj_missing/indicators", ["name": "X", "unit": "nb", "target": 10, "direction": "increase"]).status, 404)

        let id = try XCTUnwrap(try api.post(create, ["name": "X", "unit": "nb", "target": 10, "direction": "increase"]).json?["id"]?.stringValue)
        let measure = "/v1/indicators/\(id)/measurements"
        try expect422(measure, ["value": 1, "measured_on": "2026-02-30"], field: "measured_on")
        try expect422(measure, ["value": 1, "measured_on": "01/02/2026"], field: "measured_on")
        try expect422(measure, ["value": 1], field: "measured_on")
        try expect422(measure, ["measured_on": "2026-02-01"], field: "value")
        try expect422(measure, ["value": "beaucoup", "measured_on": "2026-02-01"], field: "value")
        try expect422(measure, ["value": 1, "measured_on": "2026-02-01", "by": "me"], field: "by")
        XCTAssertEqual(try live.count("measurements"), 0)
        XCTAssertEqual(try api.get("/v1/indicators/\(id)").json?["measurement_count"], 0)
        XCTAssertEqual(try api.post("/v1/indicators/ind_missing/measurements", ["value": 1, "measured_on": "2026-02-01"]).status, 404)
    }

    func testPartnerKeyMeasurements() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B")
        let mine = try fx.project("Mine", partners: [a: "lead"])
        let theirs = try fx.project("Theirs", partners: [b: "lead"])
        let own = try XCTUnwrap(try api.post("/v1/projects/\(mine)/indicators", ["name": "X", "unit": "nb", "target": 10, "direction": "increase"]).json?["id"]?.stringValue)
        let other = try XCTUnwrap(try api.post("/v1/projects/\(theirs)/indicators", ["name": "Y", "unit": "nb", "target": 10, "direction": "increase"]).json?["id"]?.stringValue)
        let partnerA = live.client(token: try live.token(role: "partner", partnerID: a))
        XCTAssertEqual(try partnerA.post("/v1/indicators/\(own)/measurements", ["value": 3, "measured_on": "2026-02-01"]).status, 201)
        XCTAssertEqual(try partnerA.post("/v1/indicators/\(other)/measurements", ["value": 3, "measured_on": "2026-02-01"]).status, 404)
        XCTAssertEqual(try partnerA.get("/v1/indicators/\(other)").status, 404)
        XCTAssertEqual(try partnerA.get("/v1/projects/\(mine)/indicators").json?["items"]?.arrayValue?.count, 1)
        XCTAssertEqual(try partnerA.post("/v1/projects/\(mine)/indicators", ["name": "Z", "unit": "nb", "target": 1, "direction": "increase"]).status, 403)
    }

    // MARK: - Audit

    func testAuditOrderAndFilters() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let x = try fx.partner("X")
        let y = try fx.partner("Y")
        XCTAssertEqual(try api.patch("/v1/partners/\(x)", ["city": "Lyon"]).status, 200)

        // Newest first.
        let all = try api.get("/v1/audit")
        XCTAssertEqual(all.status, 200, all.text)
        let entries = try XCTUnwrap(all.json?["items"]?.arrayValue)
        XCTAssertEqual(entries.first?["action"], "partner.updated")
        XCTAssertEqual(entries.first?["entity_id"], .string(x))
        let ats = entries.compactMap { $0["at"]?.stringValue }
        XCTAssertEqual(ats, ats.sorted(by: >), "newest first")
        for key in ["id", "at", "actor", "action", "entity_type", "entity_id", "request_id", "changes"] {
            XCTAssertNotNil(entries.first?[key], "audit entries carry \(key)")
        }

        let partners = try api.get("/v1/audit?entity_type=partner")
        XCTAssertEqual(partners.json?["items"]?.arrayValue?.compactMap { $0["action"]?.stringValue }, ["partner.updated", "partner.created", "partner.created"])
        XCTAssertEqual(partners.json?["items"]?.arrayValue?.compactMap { $0["entity_id"]?.stringValue }, [x, y, x])
        let onlyX = try api.get("/v1/audit?entity_type=partner&entity_id=\(x)")
        XCTAssertEqual(onlyX.json?["items"]?.arrayValue?.compactMap { $0["action"]?.stringValue }, ["partner.updated", "partner.created"])
        XCTAssertEqual(try api.get("/v1/audit?entity_type=convention").json?["items"]?.arrayValue?.count, 0)
        for bad in ["bogus", "", "Partner"] {
            let response = try api.get("/v1/audit?entity_type=\(bad)")
            XCTAssertEqual(response.status, 400, "entity_type=\(bad): \(response.text)")
            XCTAssertEqual(response.errorFields, ["entity_type"])
        }

        // actor: the key that made the change.
        let keyResponse = try api.post("/v1/api-keys", ["name": "Éditeur", "role": "editor"])
        XCTAssertEqual(keyResponse.status, 201, keyResponse.text)
        let editorKeyID = try XCTUnwrap(keyResponse.json?["id"]?.stringValue)
        let editor = live.client(token: try XCTUnwrap(keyResponse.json?["token"]?.stringValue))
        let z = try Fixtures(client: editor).partner("Z")
        let byEditor = try api.get("/v1/audit?actor=\(editorKeyID)")
        let editorEntries = try XCTUnwrap(byEditor.json?["items"]?.arrayValue)
        XCTAssertEqual(editorEntries.compactMap { $0["entity_id"]?.stringValue }, [z])
        XCTAssertEqual(editorEntries.first?["action"], "partner.created")
        XCTAssertEqual(editorEntries.first?["actor"], .string(editorKeyID))
        XCTAssertFalse(try api.get("/v1/audit?entity_id=\(x)").json?["items"]?.arrayValue?.contains { $0["actor"]?.stringValue == editorKeyID } ?? true)

        // The request id of the write.
        let tagged = try api.patch("/v1/partners/\(y)", ["city": "Nantes"], headers: [("X-Request-Id", "audit-test-42")])
        XCTAssertEqual(tagged.status, 200, tagged.text)
        XCTAssertEqual(tagged.header("X-Request-Id"), "audit-test-42")
        XCTAssertEqual(try api.get("/v1/audit?entity_id=\(y)").json?["items"]?.arrayValue?.first?["request_id"], "audit-test-42")

        // Refused writes leave nothing.
        let before = try live.count("audit")
        XCTAssertEqual(try api.post("/v1/partners", ["name": "", "kind": "institution"]).status, 422)
        XCTAssertEqual(try api.patch("/v1/partners/\(x)", ["kind": "spaceship"]).status, 422)
        XCTAssertEqual(try live.count("audit"), before)

        // Paging, newest first.
        let page1 = try api.get("/v1/audit?limit=2")
        XCTAssertEqual(page1.json?["items"]?.arrayValue?.count, 2)
        let cursor = try XCTUnwrap(page1.json?["next_cursor"]?.stringValue)
        let page2 = try api.get("/v1/audit?limit=2&cursor=\(cursor)")
        let everything = try api.get("/v1/audit?limit=500").json?["items"]?.arrayValue ?? []
        XCTAssertEqual(page2.json?["items"]?.arrayValue, Array(everything[2..<4]))
        XCTAssertEqual(try api.get("/v1/audit?limit=0").status, 400)
        XCTAssertEqual(try api.get("/v1/audit?cursor=garbage").status, 400)

        // Readers read it.
        let reader = live.client(token: try live.token(role: "reader"))
        XCTAssertEqual(try reader.get("/v1/audit").status, 200)
    }

    func testAuditScopeOfPartnerKeys() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B"), c = try fx.partner("C")
        let project = try fx.project()
        let mine = try fx.convention(project: project, parties: [(a, 1), (b, 1)])
        try fx.bringIntoForce(mine, parties: [a, b])
        let other = try fx.convention(project: project, parties: [(b, 1), (c, 1)])
        try fx.bringIntoForce(other, parties: [b, c])

        let partnerA = live.client(token: try live.token(role: "partner", partnerID: a))
        let audit = try partnerA.get("/v1/audit?limit=500")
        XCTAssertEqual(audit.status, 200, audit.text)
        let entries = try XCTUnwrap(audit.json?["items"]?.arrayValue)
        let entities = Set(entries.compactMap { $0["entity_id"]?.stringValue })
        XCTAssertTrue(entities.contains(mine), "its convention's entries")
        XCTAssertTrue(entities.contains(a), "its own partner's entries")
        XCTAssertTrue(entities.isSubset(of: [a, mine]), "only its world: \(entities)")
        XCTAssertFalse(entities.contains(other))
        XCTAssertFalse(entities.contains(b))
        XCTAssertEqual(entries.filter { $0["entity_id"]?.stringValue == mine }.compactMap { $0["action"]?.stringValue },
                       ["convention.in_force", "convention.signed", "convention.signed", "convention.submitted", "convention.created"])
        XCTAssertEqual(try partnerA.get("/v1/audit?entity_id=\(other)").json?["items"]?.arrayValue?.count, 0)

        // The same world in the event feed.
        let events = try partnerA.get("/v1/events?limit=500")
        XCTAssertEqual(events.status, 200, events.text)
        let eventEntities = Set(events.json?["items"]?.arrayValue?.compactMap { $0["data"]?["entity_id"]?.stringValue } ?? [])
        XCTAssertEqual(eventEntities, entities)

        // The admin sees everything.
        let adminEntities = Set(try api.get("/v1/audit?limit=500").json?["items"]?.arrayValue?.compactMap { $0["entity_id"]?.stringValue } ?? [])
        XCTAssertTrue(adminEntities.isSuperset(of: [a, b, c, mine, other, project]))
    }

    // MARK: - Events

    func testEventFeedCursor() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let first = try fx.partner("A")
        _ = try fx.partner("B")
        _ = try fx.project()

        let feed = try api.get("/v1/events?limit=500")
        XCTAssertEqual(feed.status, 200, feed.text)
        let items = try XCTUnwrap(feed.json?["items"]?.arrayValue)
        // Oldest first: the audit trail reversed.
        let audit = try api.get("/v1/audit?limit=500").json?["items"]?.arrayValue ?? []
        XCTAssertEqual(items.compactMap { $0["id"]?.stringValue }, audit.reversed().compactMap { $0["id"]?.stringValue })
        XCTAssertEqual(items.compactMap { $0["type"]?.stringValue }.suffix(3), ["partner.created", "partner.created", "project.created"])
        let partnerEvent = try XCTUnwrap(items.first { $0["type"] == "partner.created" })
        XCTAssertEqual(partnerEvent["data"]?["entity_id"], .string(first))
        XCTAssertNotNil(partnerEvent["at"]?.stringValue)
        XCTAssertNotNil(partnerEvent["id"]?.stringValue)
        let cursor = try XCTUnwrap(feed.json?["next_cursor"]?.stringValue, "next_cursor is never null")

        // Nothing new: no items, the same cursor, twice.
        for _ in 0..<2 {
            let poll = try api.get("/v1/events?after=\(cursor)")
            XCTAssertEqual(poll.status, 200, poll.text)
            XCTAssertEqual(poll.json?["items"], .array([]))
            XCTAssertEqual(poll.json?["next_cursor"], .string(cursor))
        }

        // Something new: exactly it, and a new cursor.
        let c = try fx.partner("C")
        let poll = try api.get("/v1/events?after=\(cursor)")
        let fresh = try XCTUnwrap(poll.json?["items"]?.arrayValue)
        XCTAssertEqual(fresh.count, 1)
        XCTAssertEqual(fresh.first?["type"], "partner.created")
        XCTAssertEqual(fresh.first?["data"]?["entity_id"], .string(c))
        let next = try XCTUnwrap(poll.json?["next_cursor"]?.stringValue)
        XCTAssertNotEqual(next, cursor)
        let again = try api.get("/v1/events?after=\(next)")
        XCTAssertEqual(again.json?["items"], .array([]))
        XCTAssertEqual(again.json?["next_cursor"], .string(next))

        // Paging through the feed with a small limit yields it all, in order, once.
        var collected: [JSON] = []
        var position: String? = nil
        for _ in 0..<50 {
            let page = try api.get("/v1/events?limit=2" + (position.map { "&after=\($0)" } ?? ""))
            XCTAssertEqual(page.status, 200, page.text)
            let pageItems = page.json?["items"]?.arrayValue ?? []
            XCTAssertLessThanOrEqual(pageItems.count, 2)
            let nextPosition = try XCTUnwrap(page.json?["next_cursor"]?.stringValue)
            if pageItems.isEmpty {
                XCTAssertEqual(nextPosition, position ?? nextPosition)
                break
            }
            collected += pageItems
            position = nextPosition
        }
        XCTAssertEqual(collected, items + fresh)

        let bad = try api.get("/v1/events?after=not-a-cursor")
        XCTAssertEqual(bad.status, 400, bad.text)
        XCTAssertEqual(bad.code, "bad_request")
    }

    func testEventTypes() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B")
        let project = try fx.project()
        let convention = try fx.convention(project: project, parties: [(a, 1000), (b, 1000)])
        try fx.bringIntoForce(convention, parties: [a, b])
        let path = "/v1/conventions/\(convention)"
        let contribution = try XCTUnwrap(try api.get(path).json?["parties"]?.arrayValue?.first?["contributions"]?.arrayValue?.first?["id"]?.stringValue)
        XCTAssertEqual(try api.patch("\(path)/contributions/\(contribution)", ["delivered_cents": 500]).status, 200)
        XCTAssertEqual(try api.post("\(path)/amendments", ["summary": "Titre", "changes": ["title": "Nouveau titre"]]).status, 201)
        for party in [a, b] {
            XCTAssertEqual(try api.post("\(path)/amendments/1/signatures", ["partner_id": .string(party), "signatory": "S"]).status, 201)
        }
        let decision = try XCTUnwrap(try api.post("\(path)/decisions", ["title": "D"]).json?["id"]?.stringValue)
        XCTAssertEqual(try api.post("/v1/decisions/\(decision)/close").status, 200)
        XCTAssertEqual(try api.patch("/v1/projects/\(project)", ["status": "completed"]).status, 200)
        XCTAssertEqual(try api.post("\(path)/termination", ["reason": "Fin", "effective_on": "2026-06-30"]).status, 200)

        let feed = try api.get("/v1/events?limit=500")
        let events = try XCTUnwrap(feed.json?["items"]?.arrayValue)
        let types = events.compactMap { $0["type"]?.stringValue }
        for expected in ["partner.created", "convention.submitted", "convention.signed", "convention.in_force", "decision.opened",
                         "decision.closed", "contribution.delivered", "amendment.proposed", "amendment.applied", "project.status_changed",
                         "convention.terminated"] {
            XCTAssertTrue(types.contains(expected), "missing \(expected) in \(types)")
        }
        XCTAssertEqual(types.filter { $0 == "convention.signed" }.count, 2, "each signature, the last one too")
        XCTAssertEqual(types.filter { $0 == "convention.in_force" }.count, 1)
        XCTAssertEqual(types.filter { $0 == "partner.created" }.count, 2)
        // In the order things happened.
        func position(_ type: String) -> Int { types.firstIndex(of: type) ?? -1 }
        XCTAssertLessThan(position("convention.submitted"), position("convention.signed"))
        XCTAssertLessThan(position("convention.signed"), position("convention.in_force"))
        XCTAssertLessThan(position("convention.in_force"), position("contribution.delivered"))
        XCTAssertLessThan(position("amendment.proposed"), position("amendment.applied"))
        XCTAssertLessThan(position("decision.opened"), position("decision.closed"))
        XCTAssertLessThan(position("project.status_changed"), position("convention.terminated"))
        let statusChange = try XCTUnwrap(events.first { $0["type"] == "project.status_changed" })
        XCTAssertEqual(statusChange["data"]?["entity_id"], .string(project))
        let inForce = try XCTUnwrap(events.first { $0["type"] == "convention.in_force" })
        XCTAssertEqual(inForce["data"]?["entity_id"], .string(convention))
        // Each event has the shape {id, type, at, data}.
        for event in events {
            XCTAssertNotNil(event["id"]?.stringValue)
            XCTAssertNotNil(event["type"]?.stringValue)
            XCTAssertNotNil(event["at"]?.stringValue)
            XCTAssertNotNil(event["data"]?.objectValue)
        }
        // Every audit entry is also an event.
        XCTAssertEqual(events.count, try live.count("audit"))
    }
}
