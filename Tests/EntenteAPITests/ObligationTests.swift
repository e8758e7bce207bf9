import Foundation
import XCTest
import JSON

/// Obligations (API.md §14): reports, deliverables and payments a party owes
/// under a convention; pending, overdue once `due_on` has passed, fulfilled
/// by the obligated party's key or an editor.
final class ObligationTests: XCTestCase {

    // MARK: - Creation

    func testCreate() throws {
        let world = try ObligationWorld()
        let api = world.api
        let body: JSON = ["partner_id": .string(world.a), "title": "  Rapport d'activité 2030  ", "kind": "report",
                          "due_on": "2030-03-31", "description": "Bilan moral et financier"]
        let created = try api.post("/v1/conventions/\(world.convention)/obligations", body)
        XCTAssertEqual(created.status, 201, created.text)
        let json = try XCTUnwrap(created.json)
        let id = try XCTUnwrap(json["id"]?.stringValue)
        XCTAssertEqual(created.header("Location"), "/v1/obligations/\(id)")
        XCTAssertEqual(created.header("ETag"), "\"1\"")
        XCTAssertEqual(json["convention_id"], .string(world.convention))
        XCTAssertEqual(json["partner_id"], .string(world.a))
        XCTAssertEqual(json["title"], "Rapport d'activité 2030", "trimmed")
        XCTAssertEqual(json["kind"], "report")
        XCTAssertEqual(json["due_on"], "2030-03-31")
        XCTAssertEqual(json["description"], "Bilan moral et financier")
        XCTAssertEqual(json["status"], "pending")
        XCTAssertEqual(json["fulfilled_at"], .null)
        XCTAssertEqual(json["evidence_url"], .null)
        XCTAssertEqual(json["note"], .null)
        XCTAssertEqual(json["created_at"], "2030-03-01T09:00:00Z")
        XCTAssertEqual(json["updated_at"], "2030-03-01T09:00:00Z")
        XCTAssertEqual(json["version"], 1)

        // The contract's fields in the contract's order, the bookkeeping last.
        let keys = try XCTUnwrap(json.objectValue?.keys)
        let contractOrder = ["id", "convention_id", "partner_id", "title", "kind", "due_on", "status", "fulfilled_at", "evidence_url", "note"]
        XCTAssertEqual(keys.filter(contractOrder.contains), contractOrder)
        XCTAssertEqual(Array(keys.suffix(3)), ["created_at", "updated_at", "version"])
        XCTAssertEqual(Set(keys), Set(contractOrder + ["description", "created_at", "updated_at", "version"]))

        // As stored and served again.
        let fetched = try api.get("/v1/obligations/\(id)")
        XCTAssertEqual(fetched.status, 200, fetched.text)
        XCTAssertEqual(fetched.header("ETag"), "\"1\"")
        XCTAssertEqual(fetched.json, created.json)
        XCTAssertEqual(fetched.json?.objectValue?.keys, keys)
        XCTAssertEqual(try api.get("/v1/obligations/\(id)", headers: [("If-None-Match", "\"1\"")]).status, 304)
        XCTAssertEqual(try live(world).count("obligations"), 1)

        // Every kind is accepted; description is optional.
        for kind in ["deliverable", "payment", "other"] {
            let other = try api.post("/v1/conventions/\(world.convention)/obligations",
                                     ["partner_id": .string(world.b), "title": "T", "kind": .string(kind), "due_on": "2030-04-01"])
            XCTAssertEqual(other.status, 201, other.text)
            XCTAssertEqual(other.json?["description"], .null)
        }
        // A draft convention takes obligations too (only a terminated one does not).
        let draft = try world.fx.convention(project: world.project, parties: [(world.a, 10), (world.b, 10)])
        XCTAssertEqual(try api.post("/v1/conventions/\(draft)/obligations",
                                    ["partner_id": .string(world.a), "title": "T", "kind": "report", "due_on": "2030-04-01"]).status, 201)
    }

    func testCreateRefusals() throws {
        let world = try ObligationWorld()
        let api = world.api
        let path = "/v1/conventions/\(world.convention)/obligations"
        let valid: JSONObject = ["partner_id": .string(world.a), "title": "Rapport", "kind": "report", "due_on": "2030-03-31"]
        func with(_ changes: JSONObject) -> JSON {
            var body = valid
            for (key, value) in changes { body[key] = value.isNull ? nil : value }
            return .object(body)
        }
        let auditBefore = try live(world).count("audit")

        let cases: [(name: String, body: JSON, field: String)] = [
            ("no title", with(["title": .null]), "title"),
            ("blank title", with(["title": "   "]), "title"),
            ("no kind", with(["kind": .null]), "kind"),
            ("bad kind", with(["kind": "essay"]), "kind"),
            ("no due_on", with(["due_on": .null]), "due_on"),
            ("impossible date", with(["due_on": "2030-02-30"]), "due_on"),
            ("not a date", with(["due_on": "31/03/2030"]), "due_on"),
            ("no partner_id", with(["partner_id": .null]), "partner_id"),
            ("partner not a party", with(["partner_id": .string(world.outsider)]), "partner_id"),
            ("unknown partner", with(["partner_id": "prt_does_not_exist"]), "partner_id"),
            ("unknown field", with(["status": "fulfilled"]), "status"),
            ("title not a string", with(["title": 12]), "title"),
        ]
        for item in cases {
            let response = try api.post(path, item.body)
            XCTAssertEqual(response.status, 422, "\(item.name): \(response.text)")
            XCTAssertEqual(response.code, "validation_failed", item.name)
            XCTAssertEqual(response.header("Content-Type"), "application/problem+json", item.name)
            XCTAssertEqual(response.errorFields, [item.field], item.name)
        }
        // 404 for a convention that does not exist.
        let unknown = try api.post("/v1/conventions/cnv_does_not_exist/obligations", .object(valid))
        XCTAssertEqual(unknown.status, 404, unknown.text)
        XCTAssertEqual(unknown.code, "not_found")
        // 409 on a terminated convention.
        let terminated = try world.fx.convention(project: world.project, parties: [(world.a, 10), (world.b, 10)])
        try world.fx.bringIntoForce(terminated, parties: [world.a, world.b])
        XCTAssertEqual(try api.post("/v1/conventions/\(terminated)/termination", ["reason": "Fin", "effective_on": "2030-03-01"]).status, 200)
        let reader = live(world).client(token: try live(world).token(role: "reader"))
        let partnerA = live(world).client(token: world.tokenA)
        let auditAfterSetup = try live(world).count("audit")
        let closed = try api.post("/v1/conventions/\(terminated)/obligations", .object(valid))
        XCTAssertEqual(closed.status, 409, closed.text)
        XCTAssertEqual(closed.code, "invalid_transition")
        // Readers and partner keys may not set obligations.
        XCTAssertEqual(try reader.post(path, .object(valid)).status, 403)
        XCTAssertEqual(try partnerA.post(path, .object(valid)).status, 403)

        XCTAssertEqual(try live(world).count("obligations"), 0, "no refused obligation may be stored")
        XCTAssertEqual(try live(world).count("audit"), auditAfterSetup, "refused requests write no audit entry")
        XCTAssertGreaterThan(auditAfterSetup, auditBefore)
        XCTAssertEqual(try live(world).count("audit", where: "action LIKE 'obligation.%'", []), 0)
    }

    // MARK: - Status over time

    func testPendingTurnsOverdueAfterTheDueDate() throws {
        let world = try ObligationWorld()
        let id = try world.obligation(for: world.a, dueOn: "2030-03-01")
        func status(at instant: String, line: UInt = #line) throws -> JSON? {
            world.live.setClock(instant, line: line)
            return try world.api.get("/v1/obligations/\(id)").json?["status"]
        }
        XCTAssertEqual(try status(at: "2030-03-01T00:00:00Z"), "pending", "due today is not overdue")
        XCTAssertEqual(try status(at: "2030-03-01T23:59:59Z"), "pending")
        XCTAssertEqual(try status(at: "2030-03-02T00:00:00Z"), "overdue")
        XCTAssertEqual(try status(at: "2031-01-01T00:00:00Z"), "overdue")
        // Reading it overdue changes nothing stored.
        XCTAssertEqual(try world.api.get("/v1/obligations/\(id)").json?["version"], 1)
        XCTAssertEqual(try world.live.count("obligations", where: "status = 'pending'", []), 1)
        // The clock back: pending again (it is read, not stored).
        XCTAssertEqual(try status(at: "2030-02-28T12:00:00Z"), "pending")
    }

    func testListFiltersAndCSV() throws {
        let world = try ObligationWorld()
        let api = world.api
        let overdueA = try world.obligation(for: world.a, dueOn: "2030-02-20")
        let laterA = try world.obligation(for: world.a, dueOn: "2030-05-01")
        let fulfilledB = try world.obligation(for: world.b, dueOn: "2030-02-20")
        let todayB = try world.obligation(for: world.b, dueOn: "2030-03-01")
        XCTAssertEqual(try api.post("/v1/obligations/\(fulfilledB)/fulfilment", ["note": "Envoyé"]).status, 200)
        // An obligation of another convention never shows here.
        let other = try world.fx.convention(project: world.project, parties: [(world.a, 10), (world.b, 10)])
        XCTAssertEqual(try api.post("/v1/conventions/\(other)/obligations",
                                    ["partner_id": .string(world.a), "title": "Ailleurs", "kind": "report", "due_on": "2030-01-01"]).status, 201)

        let path = "/v1/conventions/\(world.convention)/obligations"
        func ids(_ query: String, line: UInt = #line) throws -> [String] {
            let response = try api.get(path + query)
            XCTAssertEqual(response.status, 200, response.text, line: line)
            return response.json?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        }
        XCTAssertEqual(try ids(""), [overdueA, laterA, fulfilledB, todayB], "oldest first")
        XCTAssertEqual(try ids("?status=pending"), [laterA, todayB])
        XCTAssertEqual(try ids("?status=overdue"), [overdueA])
        XCTAssertEqual(try ids("?status=fulfilled"), [fulfilledB])
        XCTAssertEqual(try ids("?partner_id=\(world.a)"), [overdueA, laterA])
        XCTAssertEqual(try ids("?partner_id=\(world.b)&status=pending"), [todayB])
        XCTAssertEqual(try ids("?partner_id=\(world.outsider)"), [])
        // The list's status agrees with the filter.
        let items = try XCTUnwrap(try api.get(path).json?["items"]?.arrayValue)
        XCTAssertEqual(items.compactMap { $0["status"]?.stringValue }, ["overdue", "pending", "fulfilled", "pending"])
        // A day later, today's becomes overdue in the filters too.
        world.live.setClock("2030-03-02T00:00:00Z")
        XCTAssertEqual(try ids("?status=overdue"), [overdueA, todayB])
        XCTAssertEqual(try ids("?status=pending"), [laterA])
        world.live.setClock("2030-03-01T09:00:00Z")

        // Paging.
        let page = try api.get(path + "?limit=3")
        XCTAssertEqual(page.json?["items"]?.arrayValue?.count, 3)
        let cursor = try XCTUnwrap(page.json?["next_cursor"]?.stringValue)
        XCTAssertEqual(try ids("?limit=3&cursor=\(cursor)"), [todayB])

        // Bad filter values: 400.
        for query in ["?status=late", "?status=", "?status=PENDING", "?limit=0", "?cursor=nonsense"] {
            let bad = try api.get(path + query)
            XCTAssertEqual(bad.status, 400, "\(query): \(bad.text)")
            XCTAssertEqual(bad.code, "bad_request", query)
        }
        XCTAssertEqual(try api.get("/v1/conventions/cnv_nope/obligations").status, 404)

        // CSV: a header of the item's fields in JSON order, then every row (no paging).
        let csv = try api.get(path + "?limit=1", headers: [("Accept", "text/csv")])
        XCTAssertEqual(csv.status, 200, csv.text)
        XCTAssertEqual(csv.header("Content-Type"), "text/csv; charset=utf-8")
        let lines = csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let jsonKeys = try XCTUnwrap(items.first?.objectValue?.keys)
        XCTAssertEqual(lines.first, jsonKeys.joined(separator: ","))
        XCTAssertEqual(lines.first, "id,convention_id,partner_id,title,kind,due_on,description,status,fulfilled_at,evidence_url,note,created_at,updated_at,version")
        XCTAssertEqual(lines.count, 5, csv.text)
        XCTAssertTrue(lines[1].hasPrefix("\(overdueA),\(world.convention),\(world.a),"), lines[1])
        XCTAssertTrue(lines[1].contains(",overdue,"), lines[1])
        XCTAssertTrue(lines[3].contains(",fulfilled,2030-03-01T09:00:00Z,,Envoyé,"), lines[3])
        let filtered = try api.get(path + "?status=fulfilled", headers: [("Accept", "text/csv")])
        XCTAssertEqual(filtered.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count, 2)
        let empty = try api.get(path + "?partner_id=\(world.outsider)", headers: [("Accept", "text/csv")])
        XCTAssertEqual(empty.text, lines[0] + "\r\n", "an empty list still has its header")
    }

    // MARK: - Fulfilment

    func testFulfilmentByTheRightCallers() throws {
        let world = try ObligationWorld()
        let live = world.live
        let ofA = try world.obligation(for: world.a, dueOn: "2030-03-31")
        let ofA2 = try world.obligation(for: world.a, dueOn: "2030-02-01")
        let ofB = try world.obligation(for: world.b, dueOn: "2030-03-31")
        let reader = live.client(token: try live.token(role: "reader"))
        let partnerA = live.client(token: world.tokenA)
        let partnerB = live.client(token: world.tokenB)
        let outsider = live.client(token: try live.token(role: "partner", partnerID: world.outsider))
        let auditBefore = try live.count("audit")

        // Refused: another party's key (403), a key outside the convention (404), a reader (403).
        let byB = try partnerB.post("/v1/obligations/\(ofA)/fulfilment", ["note": "Pas le mien"])
        XCTAssertEqual(byB.status, 403, byB.text)
        XCTAssertEqual(byB.code, "forbidden")
        let byOutsider = try outsider.post("/v1/obligations/\(ofA)/fulfilment", [:])
        XCTAssertEqual(byOutsider.status, 404, byOutsider.text)
        XCTAssertEqual(byOutsider.code, "not_found")
        XCTAssertEqual(try outsider.get("/v1/obligations/\(ofA)").status, 404, "its existence is not revealed")
        XCTAssertEqual(try outsider.get("/v1/conventions/\(world.convention)/obligations").status, 404)
        let byReader = try reader.post("/v1/obligations/\(ofA)/fulfilment", [:])
        XCTAssertEqual(byReader.status, 403, byReader.text)
        XCTAssertEqual(byReader.code, "forbidden")
        XCTAssertEqual(try partnerA.post("/v1/obligations/obl_nope/fulfilment", [:]).status, 404)
        // Bad bodies: 422; a stale If-Match: 412.
        let ftp = try world.api.post("/v1/obligations/\(ofA)/fulfilment", ["evidence_url": "ftp://example.org/rapport.pdf"])
        XCTAssertEqual(ftp.status, 422, ftp.text)
        XCTAssertEqual(ftp.errorFields, ["evidence_url"])
        for url in ["javascript:alert(1)", "example.org/rapport.pdf", "", "https://"] {
            let bad = try partnerA.post("/v1/obligations/\(ofA)/fulfilment", ["evidence_url": .string(url)])
            XCTAssertEqual(bad.status, 422, "\(url): \(bad.text)")
            XCTAssertEqual(bad.errorFields, ["evidence_url"], url)
        }
        let unknownField = try partnerA.post("/v1/obligations/\(ofA)/fulfilment", ["fulfilled_at": "2030-01-01T00:00:00Z"])
        XCTAssertEqual(unknownField.status, 422, unknownField.text)
        XCTAssertEqual(unknownField.errorFields, ["fulfilled_at"])
        let stale = try partnerA.post("/v1/obligations/\(ofA)/fulfilment", ["note": "x"], headers: [("If-Match", "\"7\"")])
        XCTAssertEqual(stale.status, 412, stale.text)
        XCTAssertEqual(try live.count("obligations", where: "status = 'fulfilled'", []), 0)
        XCTAssertEqual(try live.count("audit"), auditBefore, "refused fulfilments change nothing")
        XCTAssertEqual(try world.api.get("/v1/obligations/\(ofA)").json?["version"], 1)

        // The obligated partner's own key.
        live.setClock("2030-03-05T14:30:00Z")
        let byA = try partnerA.post("/v1/obligations/\(ofA)/fulfilment",
                                    ["note": "Rapport transmis", "evidence_url": "https://intranet.example.org/rapport-2030.pdf"],
                                    headers: [("If-Match", "\"1\"")])
        XCTAssertEqual(byA.status, 200, byA.text)
        XCTAssertEqual(byA.header("ETag"), "\"2\"")
        XCTAssertEqual(byA.json?["status"], "fulfilled")
        XCTAssertEqual(byA.json?["fulfilled_at"], "2030-03-05T14:30:00Z")
        XCTAssertEqual(byA.json?["updated_at"], "2030-03-05T14:30:00Z")
        XCTAssertEqual(byA.json?["note"], "Rapport transmis")
        XCTAssertEqual(byA.json?["evidence_url"], "https://intranet.example.org/rapport-2030.pdf")
        XCTAssertEqual(byA.json?["version"], 2)
        XCTAssertEqual(try world.api.get("/v1/obligations/\(ofA)").json, byA.json)

        // Twice: 409, nothing changes.
        let again = try world.api.post("/v1/obligations/\(ofA)/fulfilment", ["note": "Encore"])
        XCTAssertEqual(again.status, 409, again.text)
        XCTAssertEqual(again.code, "invalid_transition")
        XCTAssertEqual(try world.api.get("/v1/obligations/\(ofA)").json?["note"], "Rapport transmis")

        // An editor, for an overdue obligation, with no body at all.
        let editor = live.client(token: try live.token(role: "editor"))
        XCTAssertEqual(try editor.get("/v1/obligations/\(ofA2)").json?["status"], "overdue")
        let byEditor = try editor.post("/v1/obligations/\(ofA2)/fulfilment")
        XCTAssertEqual(byEditor.status, 200, byEditor.text)
        XCTAssertEqual(byEditor.json?["status"], "fulfilled", "an overdue obligation can still be fulfilled")
        XCTAssertEqual(byEditor.json?["note"], .null)
        XCTAssertEqual(byEditor.json?["evidence_url"], .null)
        // B's own key on B's obligation, with a plain http URL.
        let ownB = try partnerB.post("/v1/obligations/\(ofB)/fulfilment", ["evidence_url": "http://b.example.org/livrable"])
        XCTAssertEqual(ownB.status, 200, ownB.text)
        XCTAssertEqual(try live.count("obligations", where: "status = 'fulfilled'", []), 3)
    }

    // MARK: - Events and audit

    func testAuditAndEvents() throws {
        let world = try ObligationWorld()
        let live = world.live
        let partnerA = live.client(token: world.tokenA)
        let outsider = live.client(token: try live.token(role: "partner", partnerID: world.outsider))
        let id = try world.obligation(for: world.a, dueOn: "2030-03-31")
        live.setClock("2030-03-02T10:00:00Z")
        XCTAssertEqual(try partnerA.post("/v1/obligations/\(id)/fulfilment", ["note": "Fait"],
                                         headers: [("X-Request-Id", "fulfil-obligation-1")]).status, 200)

        let audit = try XCTUnwrap(try world.api.get("/v1/audit?entity_type=obligation&entity_id=\(id)").json?["items"]?.arrayValue)
        XCTAssertEqual(audit.compactMap { $0["action"]?.stringValue }, ["obligation.fulfilled", "obligation.created"], "newest first")
        XCTAssertEqual(audit.first?["request_id"], "fulfil-obligation-1")
        XCTAssertEqual(audit.first?["at"], "2030-03-02T10:00:00Z")
        XCTAssertEqual(audit.first?["changes"]?["note"], "Fait")
        XCTAssertEqual(audit.last?["changes"]?["due_on"], "2030-03-31")
        XCTAssertEqual(audit.last?["at"], "2030-03-01T09:00:00Z")

        let events = try live.events().filter { $0["data"]?["entity_id"] == .string(id) }
        XCTAssertEqual(events.compactMap { $0["type"]?.stringValue }, ["obligation.created", "obligation.fulfilled"], "oldest first")
        // The obligated partner's key sees them; a key outside the convention does not.
        let seenByA = try XCTUnwrap(try partnerA.get("/v1/events?limit=500").json?["items"]?.arrayValue)
        XCTAssertEqual(seenByA.filter { $0["data"]?["entity_id"] == .string(id) }.count, 2)
        let seenByOutsider = try XCTUnwrap(try outsider.get("/v1/events?limit=500").json?["items"]?.arrayValue)
        XCTAssertEqual(seenByOutsider.filter { $0["data"]?["entity_id"] == .string(id) }.count, 0)
        let auditOfOutsider = try XCTUnwrap(try outsider.get("/v1/audit?entity_id=\(id)").json?["items"]?.arrayValue)
        XCTAssertEqual(auditOfOutsider.count, 0)
    }

    func testObligationOverdueFiresOnceAndNeverForAFulfilledOne() throws {
        let world = try ObligationWorld()
        let live = world.live
        let late = try world.obligation(for: world.a, dueOn: "2030-03-10")
        let done = try world.obligation(for: world.b, dueOn: "2030-03-10")
        let lateButDone = try world.obligation(for: world.b, dueOn: "2030-03-05")
        let future = try world.obligation(for: world.a, dueOn: "2030-04-01")
        XCTAssertEqual(try world.api.post("/v1/obligations/\(done)/fulfilment", [:]).status, 200)

        func settleTwice() throws {
            try live.registry.settleDueDates()
            try live.registry.settleDueDates()
        }
        live.setClock("2030-03-05T23:59:59Z")
        try settleTwice()
        XCTAssertEqual(try live.events("obligation.overdue").count, 0, "due today is not overdue")
        live.setClock("2030-03-06T00:00:00Z")
        try settleTwice()
        XCTAssertEqual(try live.events("obligation.overdue").compactMap { $0["data"]?["entity_id"]?.stringValue }, [lateButDone])
        // Fulfilling it afterwards fires nothing more.
        XCTAssertEqual(try world.api.post("/v1/obligations/\(lateButDone)/fulfilment", [:]).status, 200)

        live.setClock("2030-03-10T23:59:59Z")
        try settleTwice()
        XCTAssertEqual(try live.events("obligation.overdue").count, 1)
        live.setClock("2030-03-11T00:00:00Z")
        try settleTwice()
        let fired = try live.events("obligation.overdue")
        XCTAssertEqual(fired.compactMap { $0["data"]?["entity_id"]?.stringValue }, [lateButDone, late], "\(fired)")
        let lateEvent = try XCTUnwrap(fired.last)
        XCTAssertEqual(lateEvent["data"]?["entity_type"], "obligation")
        XCTAssertEqual(lateEvent["data"]?["actor"], "system")
        XCTAssertEqual(lateEvent["data"]?["changes"]?["due_on"], "2030-03-10")
        XCTAssertEqual(lateEvent["data"]?["changes"]?["partner_id"], .string(world.a))
        XCTAssertEqual(lateEvent["data"]?["changes"]?["convention_id"], .string(world.convention))
        XCTAssertEqual(lateEvent["at"], "2030-03-11T00:00:00Z")

        // Time passing fires nothing more.
        live.setClock("2030-03-20T00:00:00Z")
        try settleTwice()
        XCTAssertEqual(try live.events("obligation.overdue").count, 2)

        // The next one, once.
        live.setClock("2030-04-02T00:00:00Z")
        try settleTwice()
        let all = try live.events("obligation.overdue")
        XCTAssertEqual(all.compactMap { $0["data"]?["entity_id"]?.stringValue }.filter { $0 == future }.count, 1)
        XCTAssertEqual(all.count, 3)
        XCTAssertFalse(all.contains { $0["data"]?["entity_id"] == .string(done) }, "never for one fulfilled in time")
        // The obligation itself is untouched by the event.
        XCTAssertEqual(try world.api.get("/v1/obligations/\(late)").json?["version"], 1)
    }

    func testConcurrentSettlingFiresOnce() throws {
        let world = try ObligationWorld()
        let ids = try (0..<5).map { _ in try world.obligation(for: world.a, dueOn: "2030-03-01") }
        world.live.setClock("2030-03-02T00:00:00Z")
        let registry = world.live.registry
        let failures = LockedCounter()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            do { try registry.settleDueDates() } catch { failures.add() }
        }
        XCTAssertEqual(failures.value, 0)
        let fired = try world.live.events("obligation.overdue").compactMap { $0["data"]?["entity_id"]?.stringValue }
        XCTAssertEqual(fired.sorted(), ids.sorted(), "each once")
    }
}

/// A convention in force between A and B since 2030-03-01T09:00:00Z (the
/// clock stays there), with partner keys for A and B and a partner outside it.
private struct ObligationWorld {
    let live: LiveServer
    let api: APIClient
    let fx: Fixtures
    let a: String, b: String, outsider: String
    let project: String
    let convention: String
    let tokenA: String, tokenB: String

    init() throws {
        live = try LiveServer()
        live.setClock("2030-03-01T09:00:00Z")
        api = live.client()
        fx = Fixtures(client: api)
        a = try fx.partner("Musée A")
        b = try fx.partner("Théâtre B")
        outsider = try fx.partner("Fondation C")
        project = try fx.project()
        convention = try fx.convention(project: project, parties: [(a, 100_000), (b, 50_000)])
        try fx.bringIntoForce(convention, parties: [a, b])
        // The outsider has a world of its own.
        let elsewhere = try fx.convention(project: try fx.project("Ailleurs"), parties: [(outsider, 10), (b, 10)])
        _ = elsewhere
        tokenA = try live.token(role: "partner", partnerID: a)
        tokenB = try live.token(role: "partner", partnerID: b)
    }

    /// A report `partner` owes under the convention, due on `dueOn`.
    func obligation(for partner: String, dueOn: String) throws -> String {
        let response = try api.post("/v1/conventions/\(convention)/obligations",
                                    ["partner_id": .string(partner), "title": "Rapport", "kind": "report", "due_on": .string(dueOn)])
        guard response.status == 201, let id = response.json?["id"]?.stringValue else { throw TestFailure("obligation: \(response.status) \(response.text)") }
        return id
    }
}

private func live(_ world: ObligationWorld) -> LiveServer { world.live }
