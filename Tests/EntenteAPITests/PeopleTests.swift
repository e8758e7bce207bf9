import Foundation
import XCTest
import JSON
import SQLite

/// API.md §12 on `/v1/people`: the resource, its validation, conditional
/// requests, filters, CSV, paging, the audit trail and events without
/// personal data, and what other resources do to people.
final class PeopleTests: XCTestCase {
    static let apiOrder = ["id", "name", "email", "phone", "languages", "affiliations", "created_at", "updated_at", "version"]
    static let affiliationOrder = ["partner_id", "title", "roles", "since", "until"]
    static let csvHeader = "id,name,email,phone,languages,created_at,updated_at,version"

    // MARK: - Helpers

    private func ids(_ response: APIResponse) -> [String] {
        response.json?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
    }

    private func create(_ live: LiveServer, _ body: JSON) throws -> String {
        let response = try live.client().post("/v1/people", body)
        guard response.status == 201, let id = response.json?["id"]?.stringValue else {
            throw TestFailure("create person: \(response.status) \(response.text)")
        }
        return id
    }

    private func tables(_ live: LiveServer) throws -> [String: [Row]] {
        try live.rows(of: ["people", "person_affiliations", "person_signatures", "audit"])
    }

    // MARK: - Create and read

    func testCreateAnswers201WithLocationETagAndFieldsInAPIOrder() throws {
        let live = try LiveServer()
        let fixtures = Fixtures(client: live.client())
        let a = try fixtures.partner("Opéra de Lyon"), b = try fixtures.partner("Ville de Lyon", kind: "local_authority")
        let body: JSON = [
            "affiliations": [
                ["until": "2027-06-30", "since": "2024-01-01", "roles": ["legal_representative", "signatory"], "title": "  Directrice générale ",
                 "partner_id": .string(a)],
                ["partner_id": .string(b), "roles": ["delegate"]],
            ],
            "languages": ["fr", "en", "pt-BR"], "phone": "+33 (0)4 72 00 45 45", "email": "Anne.Martin@Opera-Lyon.example",
            "name": "  Anne Martin  ",
        ]
        let response = try live.client().post("/v1/people", body)
        XCTAssertEqual(response.status, 201, response.text)
        XCTAssertTrue(response.header("Content-Type")?.hasPrefix("application/json") ?? false)
        let object = try XCTUnwrap(response.json?.objectValue)
        let id = try XCTUnwrap(object["id"]?.stringValue)
        XCTAssertFalse(id.isEmpty)
        XCTAssertEqual(response.header("Location"), "/v1/people/\(id)")
        XCTAssertEqual(response.header("ETag"), "\"1\"")
        XCTAssertEqual(object.keys, Self.apiOrder)
        XCTAssertEqual(object["name"], "Anne Martin", "name is trimmed")
        XCTAssertEqual(object["email"], "Anne.Martin@Opera-Lyon.example", "the email is kept as written")
        XCTAssertEqual(object["phone"], "+33 (0)4 72 00 45 45")
        XCTAssertEqual(object["languages"], ["fr", "en", "pt-BR"])
        XCTAssertEqual(object["version"], 1)
        XCTAssertEqual(object["created_at"], object["updated_at"])
        let affiliations = try XCTUnwrap(object["affiliations"]?.arrayValue)
        XCTAssertEqual(affiliations.count, 2)
        XCTAssertEqual(affiliations[0].objectValue?.keys, Self.affiliationOrder)
        XCTAssertEqual(affiliations[1].objectValue?.keys, Self.affiliationOrder)
        XCTAssertEqual(affiliations[0], ["partner_id": .string(a), "title": "Directrice générale", "roles": ["legal_representative", "signatory"],
                                         "since": "2024-01-01", "until": "2027-06-30"])
        XCTAssertEqual(affiliations[1], ["partner_id": .string(b), "title": nil, "roles": ["delegate"], "since": nil, "until": nil],
                       "absent title and dates are null")

        let fetched = try live.client().get("/v1/people/\(id)")
        XCTAssertEqual(fetched.status, 200)
        XCTAssertEqual(fetched.header("ETag"), "\"1\"")
        XCTAssertEqual(fetched.json, response.json)
        XCTAssertEqual(fetched.json?.objectValue?.keys, Self.apiOrder)

        // A minimal person: email and phone null, languages and affiliations [].
        let minimal = try live.client().post("/v1/people", ["name": "Solo"])
        XCTAssertEqual(minimal.status, 201, minimal.text)
        XCTAssertEqual(minimal.json?.objectValue?.keys, Self.apiOrder)
        XCTAssertEqual(minimal.json?["email"], .null)
        XCTAssertEqual(minimal.json?["phone"], .null)
        XCTAssertEqual(minimal.json?["languages"], [])
        XCTAssertEqual(minimal.json?["affiliations"], [])
        // An affiliation with nothing but a partner: roles [].
        let bare = try live.client().post("/v1/people", ["name": "Bare", "affiliations": [["partner_id": .string(a)]]])
        XCTAssertEqual(bare.status, 201, bare.text)
        XCTAssertEqual(bare.json?["affiliations"], [["partner_id": .string(a), "title": nil, "roles": [], "since": nil, "until": nil]])

        XCTAssertEqual(try live.client().get("/v1/people/prs_nope").status, 404)
        XCTAssertEqual(try live.client().get("/v1/people/prs_nope").code, "not_found")
        XCTAssertEqual(try live.count("people"), 3)
        XCTAssertEqual(try live.count("person_affiliations"), 3)
    }

    // MARK: - Validation

    func testEveryInvalidBodyIs422NamingEachFault() throws {
        let live = try LiveServer()
        let a = try Fixtures(client: live.client()).partner("Musée")
        let ok: JSONObject = ["name": "Anne Martin"]
        func with(_ extra: JSONObject) -> JSON {
            var body = ok
            for (key, value) in extra { body[key] = value }
            return .object(body)
        }
        func affiliation(_ extra: JSONObject) -> JSON {
            var object: JSONObject = ["partner_id": .string(a), "roles": ["signatory"]]
            for (key, value) in extra { object[key] = value }
            return with(["affiliations": [.object(object)]])
        }
        let before = try tables(live)
        let cases: [(String, JSON, [String])] = [
            ("missing name", ["email": "a@example.org"], ["name"]),
            ("empty name", with(["name": ""]), ["name"]),
            ("blank name", with(["name": "   "]), ["name"]),
            ("name of 201 characters", with(["name": .string(String(repeating: "é", count: 201))]), ["name"]),
            ("name with a control character", with(["name": "Anne\u{7}Martin"]), ["name"]),
            ("name not a string", with(["name": 42]), ["name"]),
            ("bad email", with(["email": "anne.martin"]), ["email"]),
            ("email with spaces", with(["email": "anne martin@example.org"]), ["email"]),
            ("phone with letters", with(["phone": "+33 4 CALL ME"]), ["phone"]),
            ("phone of two digits", with(["phone": "+1 2"]), ["phone"]),
            ("phone of 41 characters", with(["phone": .string(String(repeating: "1", count: 41))]), ["phone"]),
            ("phone with a slash", with(["phone": "04/72/00/45/45"]), ["phone"]),
            ("languages not an array", with(["languages": "fr"]), ["languages"]),
            ("language with an underscore", with(["languages": ["fr", "pt_BR"]]), ["languages[1]"]),
            ("language of one letter", with(["languages": ["f"]]), ["languages[0]"]),
            ("language with a 9-character subtag", with(["languages": ["de-123456789"]]), ["languages[0]"]),
            ("language with an empty subtag", with(["languages": ["en--GB"]]), ["languages[0]"]),
            ("language with a digit first", with(["languages": ["1e"]]), ["languages[0]"]),
            ("duplicate language, case-insensitively", with(["languages": ["fr", "en", "FR"]]), ["languages"]),
            ("affiliations not an array", with(["affiliations": ["partner_id": .string(a)]]), ["affiliations"]),
            ("affiliation not an object", with(["affiliations": ["Musée"]]), ["affiliations[0]"]),
            ("affiliation unknown field", affiliation(["department": "Direction"]), ["affiliations[0].department"]),
            ("affiliation without partner", with(["affiliations": [["roles": ["contact"]]]]), ["affiliations[0].partner_id"]),
            ("bad role", affiliation(["roles": ["signatory", "boss"]]), ["affiliations[0].roles[1]"]),
            ("duplicate role", affiliation(["roles": ["contact", "signatory", "contact"]]), ["affiliations[0].roles"]),
            ("roles not an array", affiliation(["roles": "signatory"]), ["affiliations[0].roles"]),
            ("until before since", affiliation(["since": "2026-03-02", "until": "2026-03-01"]), ["affiliations[0].until"]),
            ("impossible date", affiliation(["since": "2026-02-30"]), ["affiliations[0].since"]),
            ("title of 201 characters", affiliation(["title": .string(String(repeating: "t", count: 201))]), ["affiliations[0].title"]),
            ("unknown partner", with(["affiliations": [["partner_id": .string(a)], ["partner_id": "ptn_nope", "roles": ["contact"]]]]),
             ["affiliations[1].partner_id"]),
            ("unknown top-level field", with(["birthday": "1970-01-01"]), ["birthday"]),
            ("read-only fields are unknown", with(["id": "prs_mine", "version": 3]), ["id", "version"]),
            ("faults in several places at once",
             ["email": "nope", "languages": ["fr", "fr"], "affiliations": [["partner_id": .string(a), "roles": ["king"], "colour": "red"]]],
             ["name", "email", "languages", "affiliations[0].roles[0]", "affiliations[0].colour"]),
            ("a bad field and an unknown partner at once",
             ["name": "", "affiliations": [["partner_id": "ptn_nope"]]], ["name", "affiliations[0].partner_id"]),
        ]
        for (name, body, expected) in cases {
            let response = try live.client().post("/v1/people", body)
            assertProblem(response, 422, "validation_failed", name)
            XCTAssertEqual(Set(response.errorFields), Set(expected), "\(name): \(response.text)")
            XCTAssertEqual(response.errorFields.count, expected.count, "\(name): each fault once: \(response.text)")
            for error in response.json?["errors"]?.arrayValue ?? [] {
                XCTAssertFalse(error["message"]?.stringValue?.isEmpty ?? true, "\(name): each error has a message")
            }
        }
        XCTAssertEqual(try tables(live), before, "refused creations wrote nothing")

        // The boundaries pass: 200 characters, 3 digits, 8-letter subtags, since = until.
        let boundary = try live.client().post("/v1/people", [
            "name": .string(String(repeating: "é", count: 200)), "phone": "112", "languages": ["abcdefgh-12345678-x", "gsw"],
            "affiliations": [["partner_id": .string(a), "roles": .array(["legal_representative", "signatory", "delegate", "contact", "mediator"]),
                              "since": "2026-03-01", "until": "2026-03-01", "title": .string(String(repeating: "t", count: 200))]],
        ])
        XCTAssertEqual(boundary.status, 201, boundary.text)
    }

    func testDuplicateEmailIs409CaseInsensitivelyWithoutEchoingIt() throws {
        let live = try LiveServer()
        let first = try create(live, ["name": "Anne Martin", "email": "Anne.Martin@Example.org"])
        let second = try create(live, ["name": "Bruno Petit", "email": "bruno@example.org"])
        // People without an email never collide.
        _ = try create(live, ["name": "Sans courriel"])
        _ = try create(live, ["name": "Sans courriel non plus"])
        let before = try tables(live)

        let duplicate = try live.client().post("/v1/people", ["name": "Anne M.", "email": "anne.martin@EXAMPLE.ORG"])
        assertProblem(duplicate, 409, "duplicate", "same email, other case")
        let detail = duplicate.json?["detail"]?.stringValue ?? ""
        XCTAssertFalse(detail.isEmpty, "the problem has a detail: \(duplicate.text)")
        XCTAssertFalse(duplicate.text.lowercased().contains("anne.martin@example.org"), "the problem never echoes the email: \(duplicate.text)")

        let renamed = try live.client().patch("/v1/people/\(second)", ["email": "ANNE.MARTIN@example.org"])
        assertProblem(renamed, 409, "duplicate", "PATCH onto another person's email")
        XCTAssertFalse(renamed.text.lowercased().contains("anne.martin@example.org"), renamed.text)
        XCTAssertEqual(try tables(live), before, "a duplicate changes nothing")
        XCTAssertEqual(try live.client().get("/v1/people/\(second)").json?["email"], "bruno@example.org")

        // A person may change the case of their own email; once the first is gone, the address is free.
        let recased = try live.client().patch("/v1/people/\(first)", ["email": "anne.martin@example.org"])
        XCTAssertEqual(recased.status, 200, recased.text)
        XCTAssertEqual(try live.client().delete("/v1/people/\(first)").status, 204)
        XCTAssertEqual(try live.client().post("/v1/people", ["name": "Anne M.", "email": "ANNE.MARTIN@example.org"]).status, 201)
    }

    // MARK: - Conditional requests and merge patch

    func testETagIfNoneMatchIfMatchAndMergePatch() throws {
        let live = try LiveServer()
        let a = try Fixtures(client: live.client()).partner("Musée")
        let id = try create(live, ["name": "Anne Martin", "phone": "+33 1 23 45 67 89", "languages": ["fr"],
                                   "affiliations": [["partner_id": .string(a), "roles": ["contact"]]]])
        let original = try live.client().get("/v1/people/\(id)")
        XCTAssertEqual(original.header("ETag"), "\"1\"")

        let notModified = try live.client().get("/v1/people/\(id)", headers: [("If-None-Match", "\"1\"")])
        XCTAssertEqual(notModified.status, 304, notModified.text)
        XCTAssertTrue(notModified.body.isEmpty, "304 has no body")
        XCTAssertEqual(notModified.header("ETag"), "\"1\"")
        XCTAssertEqual(try live.client().get("/v1/people/\(id)", headers: [("If-None-Match", "\"2\"")]).status, 200)

        let before = try tables(live)
        assertProblem(try live.client().patch("/v1/people/\(id)", ["name": "Anne Dupont"], headers: [("If-Match", "\"2\"")]),
                      412, "precondition_failed", "stale If-Match on PATCH")
        assertProblem(try live.client().delete("/v1/people/\(id)", headers: [("If-Match", "\"5\"")]), 412, "precondition_failed", "stale If-Match on DELETE")
        assertProblem(try live.client().patch("/v1/people/\(id)", ["name": nil]), 422, "validation_failed", "removing the name")
        assertProblem(try live.client().patch("/v1/people/\(id)", ["nickname": "Annie"]), 422, "validation_failed", "unknown field in a patch")
        assertProblem(try live.client().patch("/v1/people/\(id)", ["affiliations": [["partner_id": "ptn_nope"]]]), 422, "validation_failed",
                      "patch onto an unknown partner")
        assertProblem(try live.client().patch("/v1/people/\(id)", ["name": "X"], headers: [("Content-Type", "text/plain")]), 415,
                      "unsupported_media_type", "PATCH as text/plain")
        XCTAssertEqual(try tables(live), before, "refused patches change nothing")
        XCTAssertEqual(try live.client().get("/v1/people/\(id)").json, original.json)

        let patched = try live.client().patch("/v1/people/\(id)", ["phone": nil, "email": "anne@example.org", "languages": ["en", "fr"]],
                                              headers: [("If-Match", "\"1\""), ("Content-Type", "application/merge-patch+json")])
        XCTAssertEqual(patched.status, 200, patched.text)
        XCTAssertEqual(patched.header("ETag"), "\"2\"")
        XCTAssertEqual(patched.json?["version"], 2)
        XCTAssertEqual(patched.json?.objectValue?.keys, Self.apiOrder)
        XCTAssertEqual(patched.json?["phone"], .null, "null removes the phone")
        XCTAssertEqual(patched.json?["email"], "anne@example.org")
        XCTAssertEqual(patched.json?["languages"], ["en", "fr"], "arrays are replaced whole")
        XCTAssertEqual(patched.json?["name"], "Anne Martin", "untouched fields stay")
        XCTAssertEqual(patched.json?["affiliations"], original.json?["affiliations"])
        XCTAssertEqual(patched.json?["created_at"], original.json?["created_at"])
        XCTAssertEqual(try live.client().get("/v1/people/\(id)").json, patched.json)
        XCTAssertEqual(try live.client().get("/v1/people/\(id)", headers: [("If-None-Match", "\"2\"")]).status, 304)

        // affiliations are replaced whole too, and the filter table follows.
        let replaced = try live.client().patch("/v1/people/\(id)", ["affiliations": [["partner_id": .string(a), "roles": ["mediator"]]]])
        XCTAssertEqual(replaced.status, 200, replaced.text)
        XCTAssertEqual(ids(try live.client().get("/v1/people?role=mediator")), [id])
        XCTAssertEqual(ids(try live.client().get("/v1/people?role=contact")), [])

        XCTAssertEqual(try live.client().patch("/v1/people/prs_nope", ["name": "X"]).status, 404)
        XCTAssertEqual(try live.client().delete("/v1/people/\(id)", headers: [("If-Match", "\"3\"")]).status, 204)
        assertProblem(try live.client().get("/v1/people/\(id)"), 404, "not_found", "GET after DELETE")
        assertProblem(try live.client().delete("/v1/people/\(id)"), 404, "not_found", "DELETE twice")
        XCTAssertEqual(try live.count("person_affiliations"), 0, "the affiliations go with the person")
    }

    // MARK: - Lists

    func testFiltersByPartnerRoleAndName() throws {
        let live = try LiveServer()
        let fixtures = Fixtures(client: live.client())
        let a = try fixtures.partner("Musée A"), b = try fixtures.partner("Festival B"), c = try fixtures.partner("Ville C")
        // p1 signs for A and is only a contact of B; p2 is a contact of A; p3 signs for B (affiliation over); p4 has none.
        let p1 = try create(live, ["name": "Anne Martin", "affiliations": [["partner_id": .string(a), "roles": ["signatory"]],
                                                                          ["partner_id": .string(b), "roles": ["contact", "delegate"]]]])
        let p2 = try create(live, ["name": "Bruno Petit", "affiliations": [["partner_id": .string(a), "roles": ["contact"]]]])
        let p3 = try create(live, ["name": "Chloé Durand", "affiliations": [["partner_id": .string(b), "roles": ["signatory"],
                                                                           "since": "2001-01-01", "until": "2002-01-01"]]])
        let p4 = try create(live, ["name": "ÉMILE MARTINEZ"])
        let api = live.client()

        let cases: [(String, String, [String])] = [
            ("no filter", "", [p1, p2, p3, p4]),
            ("partner A", "partner_id=\(a)", [p1, p2]),
            ("partner B, at any dates", "partner_id=\(b)", [p1, p3]),
            ("partner C", "partner_id=\(c)", []),
            ("unknown partner", "partner_id=ptn_nope", []),
            ("role signatory", "role=signatory", [p1, p3]),
            ("role contact", "role=contact", [p1, p2]),
            ("role mediator", "role=mediator", []),
            ("signatory of A", "role=signatory&partner_id=\(a)", [p1]),
            ("contact of A: p1's affiliation to A is not a contact one", "role=contact&partner_id=\(a)", [p2]),
            ("signatory of B: p1 is only a contact of B", "partner_id=\(b)&role=signatory", [p3]),
            ("delegate of B", "role=delegate&partner_id=\(b)", [p1]),
            ("delegate of A", "role=delegate&partner_id=\(a)", []),
            ("q, case-insensitive", "q=MARTIN", [p1, p4]),
            ("q, Unicode lowercase", "q=%C3%A9mile", [p4]),
            ("q, substring", "q=tit", [p2]),
            ("q and partner", "q=martin&partner_id=\(a)", [p1]),
            ("q matching nobody", "q=zzz", []),
        ]
        for (name, query, expected) in cases {
            let response = try api.get("/v1/people" + (query.isEmpty ? "" : "?" + query))
            XCTAssertEqual(response.status, 200, "\(name): \(response.text)")
            XCTAssertEqual(ids(response), expected, name)
            XCTAssertEqual(response.json?["next_cursor"], .null, name)
        }

        for bad in ["role=boss", "role=Signatory", "role="] {
            let response = try api.get("/v1/people?\(bad)")
            assertProblem(response, 400, "bad_request", bad)
            XCTAssertEqual(response.errorFields, ["role"], "\(bad): \(response.text)")
        }
    }

    func testCSVHasTheHeaderAndOneRowPerPerson() throws {
        let live = try LiveServer()
        let a = try Fixtures(client: live.client()).partner("Musée")
        let full = try live.client().post("/v1/people", ["name": "Anne Martin", "email": "anne@example.org", "phone": "+33 1 23 45 67 89",
                                                         "languages": ["fr", "pt-BR"], "affiliations": [["partner_id": .string(a), "roles": ["signatory"]]]])
        XCTAssertEqual(full.status, 201, full.text)
        let bare = try live.client().post("/v1/people", ["name": "Martin, Bruno \"B.\""])
        XCTAssertEqual(bare.status, 201, bare.text)
        let object = try XCTUnwrap(full.json?.objectValue), other = try XCTUnwrap(bare.json?.objectValue)
        func field(_ o: JSONObject, _ key: String) -> String { o[key]?.stringValue ?? "" }

        let csv = try live.client().get("/v1/people", headers: [("Accept", "text/csv")])
        XCTAssertEqual(csv.status, 200, csv.text)
        XCTAssertTrue(csv.header("Content-Type")?.hasPrefix("text/csv") ?? false, "\(csv.headers)")
        let lines = csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(lines.first, Self.csvHeader)
        XCTAssertEqual(lines.count, 3, csv.text)
        XCTAssertEqual(lines.dropFirst().first,
                       "\(field(object, "id")),Anne Martin,anne@example.org,+33 1 23 45 67 89,fr;pt-BR,\(field(object, "created_at")),\(field(object, "updated_at")),1")
        XCTAssertEqual(lines.last,
                       "\(field(other, "id")),\"Martin, Bruno \"\"B.\"\"\",,,,\(field(other, "created_at")),\(field(other, "updated_at")),1",
                       "null is an empty cell, [] too; commas and quotes are quoted")
        // Filters apply to CSV.
        let filtered = try live.client().get("/v1/people?role=signatory", headers: [("Accept", "text/csv")])
        XCTAssertEqual(filtered.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count, 2, filtered.text)
    }

    func testCursorPagingOldestFirst() throws {
        let live = try LiveServer()
        var created: [String] = []
        for index in 1...5 { created.append(try create(live, ["name": .string("Personne \(index)")])) }
        var seen: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let response = try live.client().get("/v1/people?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
            XCTAssertEqual(response.status, 200, response.text)
            let page = ids(response)
            XCTAssertLessThanOrEqual(page.count, 2)
            seen += page
            cursor = response.json?["next_cursor"]?.stringValue
            pages += 1
        } while cursor != nil && pages < 10
        XCTAssertEqual(seen, created, "every person once, oldest first")
        XCTAssertEqual(pages, 3)
        XCTAssertEqual(ids(try live.client().get("/v1/people?limit=500")), created)
        assertProblem(try live.client().get("/v1/people?limit=0"), 400, "bad_request", "limit 0")
        assertProblem(try live.client().get("/v1/people?limit=501"), 400, "bad_request", "limit 501")
        assertProblem(try live.client().get("/v1/people?cursor=garbage"), 400, "bad_request", "bad cursor")
    }

    // MARK: - Audit, events, log

    func testAuditAndEventsNameTheFieldsNeverTheirValues() throws {
        let live = try LiveServer()
        let a = try Fixtures(client: live.client()).partner("Musée")
        let email = "secret.person@private.example", phone = "+33 6 98 76 54 32"
        let newEmail = "other.secret@private.example", newPhone = "+44 20 7946 0958"
        let id = try create(live, ["name": "Anne Martin", "email": .string(email), "phone": .string(phone),
                                   "affiliations": [["partner_id": .string(a), "roles": ["contact"]]]])
        // A lookup by email in the query string and a duplicate would be the usual leaks.
        _ = try live.client().post("/v1/people", ["name": "Twin", "email": .string(email)])
        XCTAssertEqual(try live.client().patch("/v1/people/\(id)", ["phone": .string(newPhone), "email": .string(newEmail)]).status, 200)
        XCTAssertEqual(try live.client().patch("/v1/people/\(id)", ["languages": ["fr"], "phone": nil]).status, 200)
        XCTAssertEqual(try live.client().patch("/v1/people/\(id)", ["name": "Anne Martin"]).status, 200, "a patch that changes nothing")
        XCTAssertEqual(try live.client().delete("/v1/people/\(id)").status, 204)

        let audit = try live.client().get("/v1/audit?entity_type=person&limit=500")
        XCTAssertEqual(audit.status, 200, audit.text)
        let entries = Array((audit.json?["items"]?.arrayValue ?? []).reversed())
        XCTAssertEqual(entries.compactMap { $0["action"]?.stringValue },
                       ["person.created", "person.changed", "person.changed", "person.changed", "person.deleted"])
        XCTAssertTrue(entries.allSatisfy { $0["entity_id"]?.stringValue == id && $0["entity_type"] == "person" })
        let changes = entries.map { $0["changes"] ?? .null }
        XCTAssertEqual(changes, [
            ["fields": ["name", "email", "phone", "affiliations"]],
            ["fields": ["email", "phone"]],
            ["fields": ["phone", "languages"]],
            ["fields": []],
            ["fields": ["name", "email", "languages", "affiliations"]],
        ])
        for secret in [email, newEmail, phone, newPhone] {
            XCTAssertFalse(audit.text.contains(secret), "the audit trail holds \(secret)")
        }

        let events = try live.client().get("/v1/events?limit=500")
        XCTAssertEqual(events.status, 200, events.text)
        let personEvents = (events.json?["items"]?.arrayValue ?? []).filter { $0["data"]?["entity_id"]?.stringValue == id }
        XCTAssertEqual(personEvents.compactMap { $0["type"]?.stringValue },
                       ["person.created", "person.changed", "person.changed", "person.changed", "person.deleted"], events.text)
        XCTAssertEqual(personEvents.first?["data"]?["changes"], ["fields": ["name", "email", "phone", "affiliations"]])
        for secret in [email, newEmail, phone, newPhone] {
            XCTAssertFalse(events.text.contains(secret), "the events hold \(secret)")
        }
        // The stored rows of the audit trail and the outbox hold none of them either.
        let stored = try live.pool.withReader { db in
            try db.query("SELECT * FROM audit").map { "\($0.values)" }.joined()
        }
        for secret in [email, newEmail, phone, newPhone] {
            XCTAssertFalse(stored.contains(secret), "the audit table holds \(secret)")
        }

        // The server log: one line per request, none with the values.
        let deadline = Date().addingTimeInterval(3)
        while live.logPipe.text.components(separatedBy: "/v1/people").count - 1 < 6, Date() < deadline { usleep(20_000) }
        let log = live.logPipe.text
        XCTAssertGreaterThanOrEqual(log.components(separatedBy: "/v1/people").count - 1, 6, "the requests were logged: \(log)")
        for secret in [email, newEmail, phone, newPhone, "private.example"] {
            XCTAssertFalse(log.contains(secret), "the log holds \(secret)")
        }
    }

    // MARK: - What other resources do to people

    func testDeletingAPartnerRemovesItsAffiliations() throws {
        let live = try LiveServer()
        let fixtures = Fixtures(client: live.client())
        let a = try fixtures.partner("Musée A"), b = try fixtures.partner("Festival B")
        let both = try create(live, ["name": "Anne Martin", "affiliations": [["partner_id": .string(a), "roles": ["signatory"]],
                                                                            ["partner_id": .string(b), "roles": ["contact"], "title": "Conseillère"]]])
        let onlyA = try create(live, ["name": "Bruno Petit", "affiliations": [["partner_id": .string(a), "roles": ["delegate"]]]])
        let onlyB = try create(live, ["name": "Chloé Durand", "affiliations": [["partner_id": .string(b)]]])
        let untouched = try live.client().get("/v1/people/\(onlyB)")

        XCTAssertEqual(try live.client().delete("/v1/partners/\(a)").status, 204)

        let first = try live.client().get("/v1/people/\(both)")
        XCTAssertEqual(first.status, 200)
        XCTAssertEqual(first.json?["affiliations"], [["partner_id": .string(b), "title": "Conseillère", "roles": ["contact"], "since": nil, "until": nil]])
        XCTAssertEqual(first.json?["version"], 2)
        XCTAssertEqual(first.header("ETag"), "\"2\"")
        let second = try live.client().get("/v1/people/\(onlyA)")
        XCTAssertEqual(second.status, 200, "the person stays")
        XCTAssertEqual(second.json?["affiliations"], [])
        XCTAssertEqual(try live.client().get("/v1/people/\(onlyB)").json, untouched.json, "others are not touched")
        XCTAssertEqual(ids(try live.client().get("/v1/people?partner_id=\(a)")), [])
        XCTAssertEqual(ids(try live.client().get("/v1/people?role=signatory")), [])
        XCTAssertEqual(try live.pool.withReader { try $0.queryOne("SELECT count(*) AS n FROM person_affiliations WHERE partner_id = ?", [a])?.int("n") }, 0)

        let entry = try live.client().get("/v1/audit?entity_id=\(a)").json?["items"]?.arrayValue?.first
        XCTAssertEqual(entry?["action"], "partner.deleted")
        XCTAssertEqual(entry?["changes"]?["affiliations_removed"], [.string(both), .string(onlyA)])
    }

    func testDeletingAPersonWhoSignedIsInUse() throws {
        let live = try LiveServer()
        let admin = live.client()
        let fixtures = Fixtures(client: admin)
        let a = try fixtures.partner("Musée A"), b = try fixtures.partner("Festival B")
        let signer = try create(live, ["name": "Anne Martin", "affiliations": [["partner_id": .string(a), "roles": ["legal_representative"]]]])
        let amendmentSigner = try create(live, ["name": "Bruno Petit", "affiliations": [["partner_id": .string(b), "roles": ["signatory"]]]])
        let idle = try create(live, ["name": "Chloé Durand", "affiliations": [["partner_id": .string(a), "roles": ["signatory"]]]])
        let project = try fixtures.project("Saison", partners: [a: "lead", b: "host"])
        let convention = try fixtures.convention(project: project, parties: [(a, 100), (b, 100)])
        XCTAssertEqual(try admin.post("/v1/conventions/\(convention)/submit").status, 200)
        XCTAssertEqual(try admin.post("/v1/conventions/\(convention)/signatures", ["partner_id": .string(a), "person_id": .string(signer)]).status, 201)
        XCTAssertEqual(try admin.post("/v1/conventions/\(convention)/signatures", ["partner_id": .string(b), "signatory": "Signataire B"]).status, 201)
        XCTAssertEqual(try admin.post("/v1/conventions/\(convention)/amendments", ["summary": "Titre", "changes": ["title": "Nouveau titre"]]).status, 201)
        XCTAssertEqual(try admin.post("/v1/conventions/\(convention)/amendments/1/signatures",
                                      ["partner_id": .string(b), "person_id": .string(amendmentSigner)]).status, 201)

        let before = try tables(live)
        for person in [signer, amendmentSigner] {
            assertProblem(try admin.delete("/v1/people/\(person)"), 409, "in_use", "a person who signed")
            XCTAssertEqual(try admin.get("/v1/people/\(person)").status, 200)
        }
        XCTAssertEqual(try tables(live), before, "refused deletions change nothing")
        XCTAssertEqual(try admin.delete("/v1/people/\(idle)").status, 204, "a person who never signed can go")
    }

    func testFailedRequestsLeaveThePeopleAndAuditTablesUnchanged() throws {
        let live = try LiveServer()
        let admin = live.client()
        let a = try Fixtures(client: admin).partner("Musée A")
        let id = try create(live, ["name": "Anne Martin", "email": "anne@example.org", "affiliations": [["partner_id": .string(a), "roles": ["contact"]]]])
        let reader = live.client(token: try live.token(role: "reader"))
        let before = try tables(live)

        let refused: [(String, APIResponse, Int)] = [
            ("invalid body", try admin.post("/v1/people", ["name": "", "languages": ["x"]]), 422),
            ("unknown partner", try admin.post("/v1/people", ["name": "Bruno", "affiliations": [["partner_id": "ptn_nope"]]]), 422),
            ("duplicate email", try admin.post("/v1/people", ["name": "Bruno", "email": "ANNE@example.org"]), 409),
            ("broken JSON", try admin.raw("POST", "/v1/people", body: Array("{\"name\":".utf8), headers: [("Content-Type", "application/json")]), 400),
            ("wrong media type", try admin.send("POST", "/v1/people", body: ["name": "Bruno"], headers: [("Content-Type", "text/plain")]), 415),
            ("array body", try admin.raw("POST", "/v1/people", body: Array("[]".utf8), headers: [("Content-Type", "application/json")]), 422),
            ("stale If-Match", try admin.patch("/v1/people/\(id)", ["name": "Anne"], headers: [("If-Match", "\"4\"")]), 412),
            ("invalid patch", try admin.patch("/v1/people/\(id)", ["affiliations": [["partner_id": .string(a), "until": "2020-01-01", "since": "2021-01-01"]]]), 422),
            ("patch of nobody", try admin.patch("/v1/people/prs_nope", ["name": "X"]), 404),
            ("delete of nobody", try admin.delete("/v1/people/prs_nope"), 404),
            ("reader creates", try reader.post("/v1/people", ["name": "Bruno"]), 403),
            ("reader patches", try reader.patch("/v1/people/\(id)", ["name": "Bruno"]), 403),
            ("reader deletes", try reader.delete("/v1/people/\(id)"), 403),
        ]
        for (name, response, status) in refused {
            XCTAssertEqual(response.status, status, "\(name): \(response.text)")
        }
        XCTAssertEqual(try tables(live), before)
    }

    // MARK: - Problems

    private func assertProblem(_ response: APIResponse, _ status: Int, _ code: String, _ context: String = "",
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(response.status, status, "\(context): \(response.text)", file: file, line: line)
        XCTAssertEqual(response.code, code, "\(context): \(response.text)", file: file, line: line)
        XCTAssertEqual(response.header("Content-Type"), "application/problem+json", context, file: file, line: line)
        XCTAssertEqual(response.json?["status"]?.intValue, Int64(status), context, file: file, line: line)
    }
}

extension LiveServer {
    /// Every row of each table, in rowid order, read straight from the file:
    /// to show a refused request changed nothing.
    func rows(of tables: [String]) throws -> [String: [Row]] {
        try pool.withReader { db in
            var rows: [String: [Row]] = [:]
            for table in tables { rows[table] = try db.query("SELECT * FROM \"\(table)\"") }
            return rows
        }
    }
}
