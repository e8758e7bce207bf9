import Foundation
import XCTest
import JSON

/// Meetings (API.md §13): convening with notice, the lifecycle, the agenda
/// that opens decisions, attendance, and the governance fields that rule them.
final class MeetingTests: XCTestCase {

    // MARK: - Convening

    func testConveneServesTheContractShape() throws {
        let world = try MeetingWorld()
        let created = try world.api.post("/v1/conventions/\(world.convention)/meetings", [
            "title": "Assemblée générale 2030", "kind": "assembly", "starts_at": "2030-03-10T14:00:00+02:00",
            "ends_at": "2030-03-10T17:00:00Z", "location": "Salle des fêtes, Lyon", "online_url": "https://visio.example.org/ag",
            "agenda": [["title": "Rapport moral"], ["title": "Budget", "decision_id": .string(world.openDecision)]],
        ])
        XCTAssertEqual(created.status, 201, created.text)
        let json = try XCTUnwrap(created.json)
        let id = try XCTUnwrap(json["id"]?.stringValue)
        XCTAssertEqual(created.header("Location"), "/v1/meetings/\(id)")
        XCTAssertEqual(created.header("ETag"), "\"1\"")
        XCTAssertEqual(json["convention_id"], .string(world.convention))
        XCTAssertEqual(json["kind"], "assembly")
        XCTAssertEqual(json["starts_at"], "2030-03-10T12:00:00Z", "instants are served in UTC")
        XCTAssertEqual(json["ends_at"], "2030-03-10T17:00:00Z")
        XCTAssertEqual(json["status"], "scheduled")
        XCTAssertEqual(json["agenda"], [["number": 1, "title": "Rapport moral", "decision_id": nil],
                                        ["number": 2, "title": "Budget", "decision_id": .string(world.openDecision)]])
        XCTAssertEqual(json["attendance"], [])
        XCTAssertEqual(json["proxies"], [])
        XCTAssertEqual(json["minutes"], .null)
        XCTAssertEqual(json["version"], 1)
        XCTAssertEqual(json.objectValue?.keys, [
            "id", "convention_id", "title", "kind", "starts_at", "ends_at", "location", "online_url", "status", "agenda", "attendance",
            "proxies", "minutes", "created_at", "updated_at", "version",
        ])
        let fetched = try world.api.get("/v1/meetings/\(id)")
        XCTAssertEqual(fetched.json, created.json)
        XCTAssertEqual(try world.api.get("/v1/meetings/\(id)", headers: [("If-None-Match", "\"1\"")]).status, 304)

        // kind defaults to assembly; the lists find it.
        let other = try world.meeting(startsAt: "2030-04-01T09:00:00Z", body: ["kind": "steering_committee"])
        let list = try world.api.get("/v1/conventions/\(world.convention)/meetings")
        XCTAssertEqual(list.json?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue }, [id, other])
        XCTAssertEqual(try world.api.get("/v1/meetings?status=scheduled&from=2030-03-20T00:00:00Z").json?["items"]?.arrayValue?.count, 1)
        XCTAssertEqual(try world.api.get("/v1/meetings?to=2030-03-20T00:00:00Z").json?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue }, [id])
        XCTAssertEqual(try world.api.get("/v1/meetings?from=yesterday").status, 400)
        XCTAssertEqual(try world.api.get("/v1/meetings?status=adjourned").status, 400)
        XCTAssertEqual(try world.live.events("meeting.convened").count, 2)
    }

    func testConveneRefusals() throws {
        let world = try MeetingWorld()
        let path = "/v1/conventions/\(world.convention)/meetings"
        let cases: [(JSON, String)] = [
            (["starts_at": "2030-03-10T14:00:00Z"], "title"),
            (["title": "AG"], "starts_at"),
            (["title": "AG", "starts_at": "10/03/2030"], "starts_at"),
            (["title": "AG", "starts_at": "2030-03-10T14:00:00Z", "kind": "party"], "kind"),
            (["title": "AG", "starts_at": "2030-03-10T14:00:00Z", "ends_at": "2030-03-10T13:00:00Z"], "ends_at"),
            (["title": "AG", "starts_at": "2030-03-10T14:00:00Z", "online_url": "ftp://x"], "online_url"),
            (["title": "AG", "starts_at": "2030-03-10T14:00:00Z", "agenda": [["decision_id": "dec_x"]]], "agenda[0].title"),
            (["title": "AG", "starts_at": "2030-03-10T14:00:00Z", "agenda": [["title": "x", "decision_id": "dec_missing"]]], "agenda[0].decision_id"),
            (["title": "AG", "starts_at": "2030-03-10T14:00:00Z", "quorum": 3], "quorum"),
            // With meeting_notice_days 0, only the past is refused.
            (["title": "AG", "starts_at": "2030-03-01T08:59:59Z"], "starts_at"),
        ]
        for (body, field) in cases {
            let response = try world.api.post(path, body)
            XCTAssertEqual(response.status, 422, "\(body): \(response.text)")
            XCTAssertEqual(response.json?["code"], "validation_failed")
            XCTAssertEqual(response.json?["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue }, [field], "\(body)")
        }
        XCTAssertEqual(try world.api.post(path, ["title": "AG", "starts_at": "2030-03-01T09:00:00Z"]).status, 201, "now is not before now")

        // Only on a convention in force.
        let draft = try world.fx.convention(project: world.project, parties: [(world.a, 1), (world.b, 1)])
        let refused = try world.api.post("/v1/conventions/\(draft)/meetings", ["title": "AG", "starts_at": "2030-03-10T14:00:00Z"])
        XCTAssertEqual(refused.status, 409, refused.text)
        XCTAssertEqual(try world.api.post("/v1/conventions/cnv_missing/meetings", ["title": "AG", "starts_at": "2030-03-10T14:00:00Z"]).status, 404)
        // Editors convene; partner keys do not.
        XCTAssertEqual(try world.live.client(token: world.tokenA).post(path, ["title": "AG", "starts_at": "2030-03-10T14:00:00Z"]).status, 403)
        XCTAssertEqual(try world.live.count("meetings"), 1)
    }

    func testNoticeDays() throws {
        let world = try MeetingWorld(governance: ["voting": "equal", "meeting_notice_days": 14])
        let path = "/v1/conventions/\(world.convention)/meetings"
        let early = try world.api.post(path, ["title": "AG", "starts_at": "2030-03-15T08:59:59Z"])
        XCTAssertEqual(early.status, 422, early.text)
        XCTAssertEqual(early.json?["errors"]?.arrayValue?.first?["field"], "starts_at")
        let id = try world.meeting(startsAt: "2030-03-15T09:00:00Z")
        // Moving it obeys the notice again; other changes do not.
        let moved = try world.api.patch("/v1/meetings/\(id)", ["starts_at": "2030-03-14T09:00:00Z"])
        XCTAssertEqual(moved.status, 422, moved.text)
        world.live.setClock("2030-03-05T09:00:00Z")
        let renamed = try world.api.patch("/v1/meetings/\(id)", ["title": "AG extraordinaire", "location": "Mairie"])
        XCTAssertEqual(renamed.status, 200, renamed.text)
        XCTAssertEqual(renamed.json?["title"], "AG extraordinaire")
        XCTAssertEqual(renamed.json?["starts_at"], "2030-03-15T09:00:00Z")
        XCTAssertEqual(renamed.json?["version"], 2)
        XCTAssertEqual(try world.api.patch("/v1/meetings/\(id)", ["starts_at": "2030-03-19T08:59:59Z"]).status, 422)
        XCTAssertEqual(try world.api.patch("/v1/meetings/\(id)", ["starts_at": "2030-03-19T08:59:59Z"]).json?["errors"]?.arrayValue?.first?["field"], "starts_at")
        XCTAssertEqual(try world.api.patch("/v1/meetings/\(id)", ["starts_at": "2030-03-19T09:00:00Z"]).status, 200, "exactly the notice")
        XCTAssertEqual(try world.api.patch("/v1/meetings/\(id)", ["title": nil]).status, 422)
        XCTAssertEqual(try world.api.patch("/v1/meetings/\(id)", ["title": "x"], headers: [("If-Match", "\"1\"")]).status, 412)
        XCTAssertEqual(try world.live.events("meeting.changed").count, 2)
    }

    func testLifecycle() throws {
        let world = try MeetingWorld()
        let id = try world.meeting(startsAt: "2030-03-10T14:00:00Z")
        let early = try world.api.post("/v1/meetings/\(id)/hold")
        XCTAssertEqual(early.status, 409, "not before it starts: \(early.text)")
        world.live.setClock("2030-03-10T14:00:00Z")
        let held = try world.api.post("/v1/meetings/\(id)/hold")
        XCTAssertEqual(held.status, 200, held.text)
        XCTAssertEqual(held.json?["status"], "held")
        XCTAssertEqual(try world.api.post("/v1/meetings/\(id)/hold").status, 409)
        XCTAssertEqual(try world.api.post("/v1/meetings/\(id)/cancel").status, 409)
        XCTAssertEqual(try world.api.patch("/v1/meetings/\(id)", ["title": "x"]).status, 409)

        let other = try world.meeting(startsAt: "2030-04-10T14:00:00Z")
        let cancelled = try world.api.post("/v1/meetings/\(other)/cancel")
        XCTAssertEqual(cancelled.status, 200, cancelled.text)
        XCTAssertEqual(cancelled.json?["status"], "cancelled")
        XCTAssertEqual(try world.api.post("/v1/meetings/\(other)/hold").status, 409)
        XCTAssertEqual(try world.api.post("/v1/meetings/\(other)/agenda", ["title": "x"]).status, 409)
        XCTAssertEqual(try world.api.post("/v1/meetings/\(other)/cancel", ["reason": "x"]).status, 422, "actions take no fields")
        XCTAssertEqual(try world.live.events("meeting.held").count, 1)
        XCTAssertEqual(try world.live.events("meeting.cancelled").count, 1)
        XCTAssertEqual(try world.api.get("/v1/meetings/mtg_missing").status, 404)
    }

    // MARK: - Agenda

    func testAgendaItemOpensADecisionOfTheMeeting() throws {
        let world = try MeetingWorld()
        let id = try world.meeting(startsAt: "2030-03-10T14:00:00Z")
        let plain = try world.api.post("/v1/meetings/\(id)/agenda", ["title": "Questions diverses"])
        XCTAssertEqual(plain.status, 201, plain.text)
        let added = try world.api.post("/v1/meetings/\(id)/agenda", [
            "title": "Budget 2031", "decision": ["title": "Adopter le budget 2031", "description": "Voir annexe", "majority": "two_thirds"],
        ])
        XCTAssertEqual(added.status, 201, added.text)
        let item = try XCTUnwrap(added.json?["agenda"]?.arrayValue?[1])
        XCTAssertEqual(item["number"], 2)
        let decisionID = try XCTUnwrap(item["decision_id"]?.stringValue)
        let decision = try world.api.get("/v1/decisions/\(decisionID)")
        XCTAssertEqual(decision.json?["meeting_id"], .string(id))
        XCTAssertEqual(decision.json?["majority"], "two_thirds")
        XCTAssertEqual(decision.json?["status"], "open")
        // A decision opened outside a meeting has none.
        XCTAssertEqual(try world.api.get("/v1/decisions/\(world.openDecision)").json?["meeting_id"], .null)

        let bad = try world.api.post("/v1/meetings/\(id)/agenda", ["title": "x", "decision": ["majority": "most"]])
        XCTAssertEqual(bad.status, 422, bad.text)
        XCTAssertEqual(Set(bad.json?["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []), ["decision.title"])
        let badRule = try world.api.post("/v1/meetings/\(id)/agenda", ["title": "x", "decision": ["title": "y", "majority": "most"]])
        XCTAssertEqual(badRule.json?["errors"]?.arrayValue?.first?["field"], "decision.majority")
        XCTAssertEqual(try world.api.post("/v1/meetings/\(id)/agenda", ["decision": ["title": "y"]]).status, 422)
        XCTAssertEqual(try world.live.count("decisions"), 2, "refused items open nothing")
        XCTAssertEqual(try world.api.get("/v1/meetings/\(id)").json?["agenda"]?.arrayValue?.count, 2)
    }

    // MARK: - Attendance

    func testAttendance() throws {
        let world = try MeetingWorld()
        let id = try world.meeting(startsAt: "2030-03-10T14:00:00Z")
        let person = try world.person("Claire Martin", partner: world.a)
        let stranger = try world.person("Paul Durand", partner: world.b)
        let first = try world.api.put("/v1/meetings/\(id)/attendance/\(world.a)", ["present": true, "person_id": .string(person)])
        XCTAssertEqual(first.status, 201, first.text)
        XCTAssertEqual(first.json?["attendance"], [["partner_id": .string(world.a), "person_id": .string(person), "present": true]])
        let again = try world.api.put("/v1/meetings/\(id)/attendance/\(world.a)", ["present": false])
        XCTAssertEqual(again.status, 200, again.text)
        XCTAssertEqual(again.json?["attendance"], [["partner_id": .string(world.a), "person_id": nil, "present": false]])

        let notAffiliated = try world.api.put("/v1/meetings/\(id)/attendance/\(world.a)", ["present": true, "person_id": .string(stranger)])
        XCTAssertEqual(notAffiliated.status, 422, notAffiliated.text)
        XCTAssertEqual(notAffiliated.json?["errors"]?.arrayValue?.first?["field"], "person_id")
        XCTAssertEqual(try world.api.put("/v1/meetings/\(id)/attendance/\(world.a)", ["person_id": .string(person)]).status, 422, "present is required")
        XCTAssertEqual(try world.api.put("/v1/meetings/\(id)/attendance/\(world.outsider)", ["present": true]).status, 409, "not a party")
        // A partner key records its own partner only.
        XCTAssertEqual(try world.live.client(token: world.tokenB).put("/v1/meetings/\(id)/attendance/\(world.a)", ["present": true]).status, 403)
        XCTAssertEqual(try world.live.client(token: world.tokenB).put("/v1/meetings/\(id)/attendance/\(world.b)", ["present": true]).status, 201)

        // A person recorded at a meeting is in use.
        XCTAssertEqual(try world.api.put("/v1/meetings/\(id)/attendance/\(world.a)", ["present": true, "person_id": .string(person)]).status, 200)
        let delete = try world.api.delete("/v1/people/\(person)")
        XCTAssertEqual(delete.status, 409, delete.text)
        XCTAssertEqual(delete.json?["code"], "in_use")
        XCTAssertEqual(try world.api.delete("/v1/people/\(stranger)").status, 204)
    }

    // MARK: - Governance fields

    func testGovernanceFieldsAreValidatedAndCarried() throws {
        let world = try MeetingWorld()
        let convention = try world.api.get("/v1/conventions/\(world.convention)")
        let governance = try XCTUnwrap(convention.json?["governance"])
        XCTAssertEqual(governance["meeting_notice_days"], 0)
        XCTAssertEqual(governance["max_proxies_per_holder"], 1)
        XCTAssertEqual(governance["minutes_objection_days"], 15)

        let cases: [(String, JSON)] = [
            ("meeting_notice_days", -1), ("meeting_notice_days", 366), ("max_proxies_per_holder", 11), ("minutes_objection_days", 91),
            ("minutes_objection_days", 1.5), ("max_proxies_per_holder", "2"),
        ]
        func createConvention(_ field: String, _ value: JSON) throws -> APIResponse {
            var governance: JSONObject = ["voting": "equal"]
            governance[field] = value
            return try world.api.post("/v1/conventions", [
                "project_id": .string(world.project), "title": "T", "governance": .object(governance),
                "parties": [["partner_id": .string(world.a), "contributions": []], ["partner_id": .string(world.b), "contributions": []]],
            ])
        }
        for (field, value) in cases {
            let response = try createConvention(field, value)
            XCTAssertEqual(response.status, 422, "\(field) = \(value): \(response.text)")
            XCTAssertEqual(response.json?["errors"]?.arrayValue?.first?["field"], .string("governance.\(field)"))
        }
        for (field, value) in [("meeting_notice_days", 365), ("max_proxies_per_holder", 0), ("minutes_objection_days", 90)] {
            let response = try createConvention(field, .int(Int64(value)))
            XCTAssertEqual(response.status, 201, response.text)
            XCTAssertEqual(response.json?["governance"]?[field], .int(Int64(value)))
        }

        // An amendment changes them; the new revision carries them.
        let amendment = try world.api.post("/v1/conventions/\(world.convention)/amendments", [
            "summary": "Préavis", "changes": ["governance": ["voting": "equal", "meeting_notice_days": 21, "max_proxies_per_holder": 2]],
        ])
        XCTAssertEqual(amendment.status, 201, amendment.text)
        let number = try XCTUnwrap(amendment.json?["number"]?.intValue)
        for party in [world.a, world.b, world.c] {
            let sign = try world.api.post("/v1/conventions/\(world.convention)/amendments/\(number)/signatures", ["partner_id": .string(party), "signatory": "S"])
            XCTAssertEqual(sign.status, 201, sign.text)
        }
        let amended = try world.api.get("/v1/conventions/\(world.convention)")
        XCTAssertEqual(amended.json?["governance"]?["meeting_notice_days"], 21)
        XCTAssertEqual(amended.json?["governance"]?["max_proxies_per_holder"], 2)
        XCTAssertEqual(amended.json?["governance"]?["minutes_objection_days"], 15)
        let revision = try world.api.get("/v1/conventions/\(world.convention)/revisions/2")
        XCTAssertEqual(revision.json?["governance"]?["meeting_notice_days"], 21)
        XCTAssertEqual(try world.api.post("/v1/conventions/\(world.convention)/meetings", ["title": "AG", "starts_at": "2030-03-21T09:00:00Z"]).status, 422)
        XCTAssertEqual(try world.api.post("/v1/conventions/\(world.convention)/meetings", ["title": "AG", "starts_at": "2030-03-22T09:00:00Z"]).status, 201)
    }

    // MARK: - Scope

    func testPartnerScope() throws {
        let world = try MeetingWorld()
        let id = try world.meeting(startsAt: "2030-03-10T14:00:00Z")
        let outsider = world.live.client(token: try world.live.token(role: "partner", partnerID: world.outsider))
        XCTAssertEqual(try outsider.get("/v1/meetings/\(id)").status, 404)
        XCTAssertEqual(try outsider.get("/v1/meetings/\(id)/decision-rights").status, 404)
        XCTAssertEqual(try outsider.put("/v1/meetings/\(id)/proxies/\(world.outsider)", ["holder_partner_id": .string(world.a)]).status, 404)
        XCTAssertEqual(try outsider.get("/v1/meetings").json?["items"], [])
        XCTAssertEqual(try outsider.get("/v1/conventions/\(world.convention)/meetings").status, 404)
        let member = world.live.client(token: world.tokenA)
        XCTAssertEqual(try member.get("/v1/meetings/\(id)").status, 200)
        XCTAssertEqual(try member.get("/v1/meetings").json?["items"]?.arrayValue?.count, 1)
        XCTAssertEqual(try member.post("/v1/meetings/\(id)/cancel").status, 403)
    }
}

/// Three parties A, B, C to a convention in force on 2030-03-01 at 09:00,
/// an outsider with a world of its own, and an open decision.
struct MeetingWorld {
    let live: LiveServer
    let api: APIClient
    let fx: Fixtures
    let a: String, b: String, c: String, outsider: String
    let project: String
    let convention: String
    let openDecision: String
    let tokenA: String, tokenB: String, tokenC: String

    init(governance: JSON = ["voting": "equal"], pledges: [Int64] = [100_000, 50_000, 25_000]) throws {
        live = try LiveServer()
        live.setClock("2030-03-01T09:00:00Z")
        api = live.client()
        fx = Fixtures(client: api)
        a = try fx.partner("Musée A")
        b = try fx.partner("Théâtre B")
        c = try fx.partner("Ville C")
        outsider = try fx.partner("Fondation D")
        project = try fx.project()
        convention = try fx.convention(project: project, parties: [(a, pledges[0]), (b, pledges[1]), (c, pledges[2])], governance: governance)
        try fx.bringIntoForce(convention, parties: [a, b, c])
        _ = try fx.convention(project: try fx.project("Ailleurs"), parties: [(outsider, 10), (b, 10)])
        let decision = try api.post("/v1/conventions/\(convention)/decisions", ["title": "Budget"])
        guard decision.status == 201, let id = decision.json?["id"]?.stringValue else { throw TestFailure("decision: \(decision.status) \(decision.text)") }
        openDecision = id
        tokenA = try live.token(role: "partner", partnerID: a)
        tokenB = try live.token(role: "partner", partnerID: b)
        tokenC = try live.token(role: "partner", partnerID: c)
    }

    /// A scheduled meeting of the convention.
    func meeting(startsAt: String, body extra: JSONObject = [:]) throws -> String {
        var body: JSONObject = ["title": "Comité de pilotage", "starts_at": .string(startsAt)]
        for (key, value) in extra { body[key] = value }
        let response = try api.post("/v1/conventions/\(convention)/meetings", .object(body))
        guard response.status == 201, let id = response.json?["id"]?.stringValue else { throw TestFailure("meeting: \(response.status) \(response.text)") }
        return id
    }

    /// A person affiliated to `partner` as its delegate.
    func person(_ name: String, partner: String) throws -> String {
        let response = try api.post("/v1/people", ["name": .string(name), "affiliations": [["partner_id": .string(partner), "roles": ["delegate"]]]])
        guard response.status == 201, let id = response.json?["id"]?.stringValue else { throw TestFailure("person: \(response.status) \(response.text)") }
        return id
    }

    /// An open decision put to the meeting through its agenda.
    func meetingDecision(_ meeting: String, title: String = "Adopter le budget") throws -> String {
        let response = try api.post("/v1/meetings/\(meeting)/agenda", ["title": .string(title), "decision": ["title": .string(title)]])
        guard response.status == 201, let id = response.json?["agenda"]?.arrayValue?.last?["decision_id"]?.stringValue else {
            throw TestFailure("agenda: \(response.status) \(response.text)")
        }
        return id
    }
}
