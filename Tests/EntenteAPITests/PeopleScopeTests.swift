import XCTest
import JSON
import SQLite

/// What a partner key (and a reader key) may do with people (API.md §2, §12).
/// A partner key sees the people affiliated to its partner or to a co-party of
/// one of its conventions; elsewhere 404. It creates and changes only people
/// of its own partner, never another partner's affiliations.
final class PeopleScopeTests: XCTestCase {
    private struct World {
        let live: LiveServer
        let a: String, b: String, c: String, d: String
        /// Affiliated to A (a signatory), to B (a co-party of A), to C (a stranger), to nobody,
        /// to A and C, and to A with an affiliation long over.
        let ofA: String, ofB: String, ofC: String, ofNobody: String, ofAAndC: String, formerlyOfA: String
        let partner: APIClient
    }

    private func person(_ live: LiveServer, _ body: JSON) throws -> String {
        let response = try live.client().post("/v1/people", body)
        guard response.status == 201, let id = response.json?["id"]?.stringValue else { throw TestFailure("person: \(response.status) \(response.text)") }
        return id
    }

    private func world() throws -> World {
        let live = try LiveServer()
        let fixtures = Fixtures(client: live.client())
        let a = try fixtures.partner("Musée A"), b = try fixtures.partner("Festival B")
        let c = try fixtures.partner("Ville C"), d = try fixtures.partner("Fondation D")
        let ours = try fixtures.project("Ours", partners: [a: "lead", b: "host"])
        let theirs = try fixtures.project("Theirs", partners: [c: "lead", d: "host"])
        // A draft is enough to make B a co-party of A; C and D are bound to each other only.
        _ = try fixtures.convention(project: ours, parties: [(a, 100), (b, 100)])
        let theirConvention = try fixtures.convention(project: theirs, parties: [(c, 100), (d, 100)])
        try fixtures.bringIntoForce(theirConvention, parties: [c, d])
        func affiliated(_ name: String, _ partners: [String], until: String? = nil) throws -> String {
            try person(live, ["name": .string(name), "affiliations": .array(partners.map { partner in
                var object: JSONObject = ["partner_id": .string(partner), "roles": ["signatory"]]
                if let until { object["since"] = "2001-01-01"; object["until"] = .string(until) }
                return .object(object)
            })])
        }
        return World(live: live, a: a, b: b, c: c, d: d,
                     ofA: try affiliated("Anne (A)", [a]), ofB: try affiliated("Bruno (B)", [b]), ofC: try affiliated("Chloé (C)", [c]),
                     ofNobody: try affiliated("Denis (nobody)", []), ofAAndC: try affiliated("Emma (A and C)", [a, c]),
                     formerlyOfA: try affiliated("Fanny (formerly A)", [a], until: "2002-01-01"),
                     partner: live.client(token: try live.token(role: "partner", partnerID: a)))
    }

    private func ids(_ response: APIResponse) -> [String] {
        response.json?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
    }

    private func tables(_ live: LiveServer) throws -> [String: [Row]] {
        try live.rows(of: ["people", "person_affiliations", "audit"])
    }

    func testAPartnerKeySeesItsPeopleAndItsCoPartiesPeopleOnly() throws {
        let w = try world()
        for visible in [w.ofA, w.ofB, w.ofAAndC, w.formerlyOfA] {
            let response = try w.partner.get("/v1/people/\(visible)")
            XCTAssertEqual(response.status, 200, "\(visible): \(response.text)")
            XCTAssertEqual(response.json?["id"]?.stringValue, visible)
        }
        let before = try tables(w.live)
        for hidden in [w.ofC, w.ofNobody, "prs_nope"] {
            for (method, response) in [("GET", try w.partner.get("/v1/people/\(hidden)")),
                                       ("PATCH", try w.partner.patch("/v1/people/\(hidden)", ["name": "X"])),
                                       ("DELETE", try w.partner.delete("/v1/people/\(hidden)"))] {
                XCTAssertEqual(response.status, 404, "\(method) \(hidden): \(response.text)")
                XCTAssertEqual(response.code, "not_found", "\(method) \(hidden)")
            }
        }
        XCTAssertEqual(try tables(w.live), before)

        let cases: [(String, String, [String])] = [
            ("everything visible", "", [w.ofA, w.ofB, w.ofAAndC, w.formerlyOfA]),
            ("filter on C shows only the visible", "partner_id=\(w.c)", [w.ofAAndC]),
            ("filter on D", "partner_id=\(w.d)", []),
            ("filter on B", "partner_id=\(w.b)", [w.ofB]),
            ("role", "role=signatory", [w.ofA, w.ofB, w.ofAAndC, w.formerlyOfA]),
            ("q", "q=chlo", []),
        ]
        for (name, query, expected) in cases {
            XCTAssertEqual(ids(try w.partner.get("/v1/people" + (query.isEmpty ? "" : "?" + query))), expected, name)
        }
        let csv = try w.partner.get("/v1/people", headers: [("Accept", "text/csv")])
        XCTAssertEqual(csv.status, 200)
        XCTAssertEqual(csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count, 5, "header and four visible people: \(csv.text)")
        XCTAssertFalse(csv.text.contains(w.ofC))
        // The admin sees everyone.
        XCTAssertEqual(ids(try w.live.client().get("/v1/people")).count, 6)

        // The audit trail: entries about A's own people, none about C's.
        let audit = Set((try w.partner.get("/v1/audit?entity_type=person&limit=500")).json?["items"]?.arrayValue?.compactMap { $0["entity_id"]?.stringValue } ?? [])
        XCTAssertTrue(audit.contains(w.ofA), "\(audit)")
        XCTAssertTrue(audit.contains(w.ofAAndC))
        XCTAssertFalse(audit.contains(w.ofC))
        XCTAssertFalse(audit.contains(w.ofNobody))
    }

    func testAPartnerKeyCreatesOnlyPeopleOfItsOwnPartner() throws {
        let w = try world()
        let before = try tables(w.live)
        let refused: [(String, JSON)] = [
            ("no affiliation", ["name": "Personne"]),
            ("affiliated to another partner only", ["name": "Personne", "affiliations": [["partner_id": .string(w.b), "roles": ["contact"]]]]),
            ("affiliated to its own and another", ["name": "Personne", "affiliations": [["partner_id": .string(w.a)], ["partner_id": .string(w.c)]]]),
            ("affiliated to a stranger", ["name": "Personne", "affiliations": [["partner_id": .string(w.d)]]]),
        ]
        for (name, body) in refused {
            let response = try w.partner.post("/v1/people", body)
            XCTAssertEqual(response.status, 403, "\(name): \(response.text)")
            XCTAssertEqual(response.code, "forbidden", name)
        }
        XCTAssertEqual(try tables(w.live), before, "refused creations wrote nothing")

        // Validation still comes first: a bad body is 422, not 403.
        let invalid = try w.partner.post("/v1/people", ["name": "", "affiliations": [["partner_id": .string(w.a)]]])
        XCTAssertEqual(invalid.status, 422, invalid.text)

        let created = try w.partner.post("/v1/people", ["name": "Nouvelle", "affiliations": [["partner_id": .string(w.a), "roles": ["contact"]],
                                                                                            ["partner_id": .string(w.a), "roles": ["delegate"]]]])
        XCTAssertEqual(created.status, 201, created.text)
        let id = try XCTUnwrap(created.json?["id"]?.stringValue)
        XCTAssertEqual(try w.partner.get("/v1/people/\(id)").status, 200)
        let entry = try w.partner.get("/v1/audit?entity_id=\(id)").json?["items"]?.arrayValue?.first
        XCTAssertEqual(entry?["action"], "person.created", "the partner sees the entry about its creation")
    }

    func testAPartnerKeyChangesOnlyItsOwnAffiliations() throws {
        let w = try world()
        let ownAffiliation: JSON = ["partner_id": .string(w.a), "roles": ["signatory"], "title": nil, "since": nil, "until": nil]
        let cAffiliation: JSON = ["partner_id": .string(w.c), "roles": ["signatory"], "title": nil, "since": nil, "until": nil]
        let before = try tables(w.live)
        let refused: [(String, String, JSON)] = [
            ("a co-party's person", w.ofB, ["name": "Bruno"]),
            ("a co-party's person, adding its own affiliation", w.ofB, ["affiliations": [["partner_id": .string(w.b), "roles": ["signatory"]],
                                                                                        ["partner_id": .string(w.a)]]]),
            ("changing the other partner's roles", w.ofAAndC, ["affiliations": [ownAffiliation, ["partner_id": .string(w.c), "roles": ["contact"]]]]),
            ("dating the other partner's affiliation", w.ofAAndC, ["affiliations": [ownAffiliation, ["partner_id": .string(w.c), "roles": ["signatory"],
                                                                                                     "until": "2030-01-01"]]]),
            ("removing the other partner's affiliation", w.ofAAndC, ["affiliations": [ownAffiliation]]),
            ("dropping its own", w.ofAAndC, ["affiliations": [cAffiliation]]),
            ("dropping every affiliation", w.ofA, ["affiliations": nil]),
            ("moving its person to a co-party", w.ofA, ["affiliations": [["partner_id": .string(w.b), "roles": ["signatory"]]]]),
            ("adding another partner", w.ofA, ["affiliations": [ownAffiliation, ["partner_id": .string(w.b)]]]),
        ]
        for (name, id, patch) in refused {
            let response = try w.partner.patch("/v1/people/\(id)", patch)
            XCTAssertEqual(response.status, 403, "\(name): \(response.text)")
            XCTAssertEqual(response.code, "forbidden", name)
        }
        XCTAssertEqual(try tables(w.live), before, "refused patches change nothing")

        // Its own person, and its own affiliation of a shared person, it may change.
        let renamed = try w.partner.patch("/v1/people/\(w.ofA)", ["name": "Anne Martin", "email": "anne@example.org"])
        XCTAssertEqual(renamed.status, 200, renamed.text)
        XCTAssertEqual(renamed.json?["name"], "Anne Martin")
        let retitled = try w.partner.patch("/v1/people/\(w.ofAAndC)", ["affiliations": [
            ["partner_id": .string(w.a), "roles": ["legal_representative"], "title": "Présidente"], cAffiliation,
            ["partner_id": .string(w.a), "roles": ["contact"]],
        ]])
        XCTAssertEqual(retitled.status, 200, retitled.text)
        XCTAssertEqual(retitled.json?["affiliations"]?.arrayValue?.count, 3)
        XCTAssertEqual(retitled.json?["affiliations"]?.arrayValue?[1], cAffiliation, "the other partner's affiliation is as it was")
        // Its person's former affiliation counts as its own.
        XCTAssertEqual(try w.partner.patch("/v1/people/\(w.formerlyOfA)", ["languages": ["fr"]]).status, 200)
    }

    func testDeleteByAPartnerKeyIs403OnAVisiblePersonAndReadersWriteNothing() throws {
        let w = try world()
        let reader = w.live.client(token: try w.live.token(role: "reader"))
        let before = try tables(w.live)
        for id in [w.ofA, w.ofB] {
            let response = try w.partner.delete("/v1/people/\(id)")
            XCTAssertEqual(response.status, 403, "\(id): \(response.text)")
            XCTAssertEqual(response.code, "forbidden")
        }
        let readerWrites: [(String, APIResponse)] = [
            ("POST", try reader.post("/v1/people", ["name": "Lecteur"])),
            ("PATCH", try reader.patch("/v1/people/\(w.ofA)", ["name": "Lecteur"])),
            ("DELETE", try reader.delete("/v1/people/\(w.ofA)")),
        ]
        for (method, response) in readerWrites {
            XCTAssertEqual(response.status, 403, "\(method): \(response.text)")
            XCTAssertEqual(response.code, "forbidden", method)
        }
        XCTAssertEqual(try tables(w.live), before)
        // A reader reads everything.
        XCTAssertEqual(try reader.get("/v1/people/\(w.ofC)").status, 200)
        XCTAssertEqual(ids(try reader.get("/v1/people")).count, 6)
        // An editor deletes.
        let editor = w.live.client(token: try w.live.token(role: "editor"))
        XCTAssertEqual(try editor.delete("/v1/people/\(w.ofNobody)").status, 204)
    }
}
