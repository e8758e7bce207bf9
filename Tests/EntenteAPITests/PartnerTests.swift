import Foundation
import XCTest
import JSON

/// API.md §1 and §3 on `/v1/partners`.
final class PartnerTests: XCTestCase {
    private static let apiOrder = ["id", "name", "kind", "legal_name", "country", "city", "website", "email", "expertise", "description",
                                   "created_at", "updated_at", "version"]
    private static let csvHeader = "id,name,kind,legal_name,country,city,website,email,expertise,description,created_at,updated_at,version"

    private func assertProblem(_ response: APIResponse, _ status: Int, _ code: String, _ context: String = "",
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(response.status, status, "\(context): \(response.text)", file: file, line: line)
        XCTAssertEqual(response.code, code, "\(context): \(response.text)", file: file, line: line)
        XCTAssertEqual(response.header("Content-Type"), "application/problem+json", context, file: file, line: line)
        XCTAssertEqual(response.json?["status"]?.intValue, Int64(status), context, file: file, line: line)
    }

    private func ids(_ response: APIResponse) -> [String] {
        response.json?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
    }

    private func create(_ live: LiveServer, _ body: JSON, headers: [(String, String)] = []) throws -> String {
        let response = try live.client().post("/v1/partners", body, headers: headers)
        guard response.status == 201, let id = response.json?["id"]?.stringValue else {
            throw TestFailure("create partner: \(response.status) \(response.text)")
        }
        return id
    }

    private func counts(_ live: LiveServer) throws -> [Int] {
        try ["partners", "audit", "api_keys"].map { try live.count($0) }
    }

    private static let rfc3339UTC = try! NSRegularExpression(pattern: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$"#)

    private func isRFC3339UTC(_ text: String?) -> Bool {
        guard let text else { return false }
        return Self.rfc3339UTC.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    // MARK: - Validation

    func testCreateValidationReportsEveryBadField() throws {
        let live = try LiveServer()
        let before = try counts(live)
        let cases: [(String, JSON, Set<String>)] = [
            ("everything wrong at once",
             ["kind": "castle", "country": "FRA", "website": "ftp://x", "email": "nope", "colour": "red"],
             ["name", "kind", "country", "website", "email", "colour"]),
            ("missing name", ["kind": "institution"], ["name"]),
            ("missing kind", ["name": "Opéra"], ["kind"]),
            ("name of 201 characters", ["name": .string(String(repeating: "é", count: 201)), "kind": "artist"], ["name"]),
            ("empty name", ["name": "", "kind": "artist"], ["name"]),
            ("bad kind", ["name": "Opéra", "kind": "Institution"], ["kind"]),
            ("country of three letters", ["name": "Opéra", "kind": "institution", "country": "FRA"], ["country"]),
            ("country of digits", ["name": "Opéra", "kind": "institution", "country": "12"], ["country"]),
            ("country code not assigned", ["name": "Opéra", "kind": "institution", "country": "XX"], ["country"]),
            ("UK is not ISO 3166-1 (GB is)", ["name": "Opéra", "kind": "institution", "country": "UK"], ["country"]),
            ("website not http", ["name": "Opéra", "kind": "institution", "website": "ftp://x"], ["website"]),
            ("website without scheme", ["name": "Opéra", "kind": "institution", "website": "www.opera.fr"], ["website"]),
            ("bad email", ["name": "Opéra", "kind": "institution", "email": "nope"], ["email"]),
            ("unknown field", ["name": "Opéra", "kind": "institution", "budget": 12], ["budget"]),
            ("wrong types",
             ["name": 42, "kind": true, "city": 7, "expertise": "music", "description": ["a"], "legal_name": 1.5],
             ["name", "kind", "city", "expertise", "description", "legal_name"]),
            ("expertise of non-strings", ["name": "Opéra", "kind": "institution", "expertise": [1, 2]], ["expertise"]),
        ]
        for (name, body, expected) in cases {
            let response = try live.client().post("/v1/partners", body)
            assertProblem(response, 422, "validation_failed", name)
            XCTAssertEqual(Set(response.errorFields), expected, "\(name): \(response.text)")
            XCTAssertEqual(response.errorFields.count, expected.count, "\(name): each field once: \(response.text)")
            for error in response.json?["errors"]?.arrayValue ?? [] {
                XCTAssertFalse(error["message"]?.stringValue?.isEmpty ?? true, "\(name): each error has a message")
            }
        }
        XCTAssertEqual(try counts(live), before, "refused creations wrote nothing")
        // The boundary: exactly 200 characters is accepted.
        let longest = try live.client().post("/v1/partners", ["name": .string(String(repeating: "é", count: 200)), "kind": "artist"])
        XCTAssertEqual(longest.status, 201, longest.text)
        XCTAssertEqual(longest.json?["name"]?.stringValue?.count, 200)
    }

    func testCreateAnswers201WithLocationETagAndFieldsInAPIOrder() throws {
        let live = try LiveServer()
        let started = Date()
        let body: JSON = [
            "description": "Scène nationale", "expertise": ["théâtre", "danse"], "email": "contact@scene.fr",
            "website": "https://www.scene.fr/", "city": "Lyon", "country": "FR", "legal_name": "Association Scène",
            "kind": "institution", "name": "Scène de Lyon",
        ]
        let response = try live.client().post("/v1/partners", body)
        XCTAssertEqual(response.status, 201, response.text)
        XCTAssertTrue(response.header("Content-Type")?.hasPrefix("application/json") ?? false, "\(response.headers)")
        let object = try XCTUnwrap(response.json?.objectValue)
        let id = try XCTUnwrap(object["id"]?.stringValue)
        XCTAssertFalse(id.isEmpty)
        XCTAssertEqual(response.header("Location"), "/v1/partners/\(id)")
        XCTAssertEqual(response.header("ETag"), "\"1\"")
        XCTAssertEqual(object.keys, Self.apiOrder)
        XCTAssertEqual(object["name"], "Scène de Lyon")
        XCTAssertEqual(object["kind"], "institution")
        XCTAssertEqual(object["legal_name"], "Association Scène")
        XCTAssertEqual(object["country"], "FR")
        XCTAssertEqual(object["city"], "Lyon")
        XCTAssertEqual(object["website"], "https://www.scene.fr/")
        XCTAssertEqual(object["email"], "contact@scene.fr")
        XCTAssertEqual(object["expertise"], ["théâtre", "danse"])
        XCTAssertEqual(object["description"], "Scène nationale")
        XCTAssertEqual(object["version"], 1)
        let createdAt = object["created_at"]?.stringValue
        XCTAssertTrue(isRFC3339UTC(createdAt), "created_at \(createdAt ?? "nil")")
        XCTAssertTrue(isRFC3339UTC(object["updated_at"]?.stringValue), "updated_at")
        XCTAssertEqual(object["created_at"], object["updated_at"])
        let formatter = ISO8601DateFormatter()
        let created = try XCTUnwrap(createdAt.flatMap { formatter.date(from: $0) })
        XCTAssertLessThan(abs(created.timeIntervalSince(started)), 60, "created_at is now")

        // A minimal partner: expertise defaults to [], the order still holds.
        let minimal = try live.client().post("/v1/partners", ["name": "  Solo  ", "kind": "artist"])
        XCTAssertEqual(minimal.status, 201, minimal.text)
        let keys = try XCTUnwrap(minimal.json?.objectValue?.keys)
        XCTAssertEqual(keys, Self.apiOrder.filter(keys.contains), "present fields keep the API order")
        XCTAssertEqual(minimal.json?["name"], "Solo", "name is trimmed")
        XCTAssertEqual(minimal.json?["expertise"], [])
        XCTAssertEqual(minimal.json?["version"], 1)
        for optional in ["legal_name", "country", "city", "website", "email", "description"] {
            let value = minimal.json?[optional]
            XCTAssertTrue(value == nil || value == .null, "\(optional) is absent or null: \(minimal.text)")
        }

        // GET returns the same document.
        let fetched = try live.client().get("/v1/partners/\(id)")
        XCTAssertEqual(fetched.status, 200)
        XCTAssertEqual(fetched.json, response.json)
        XCTAssertEqual(fetched.json?.objectValue?.keys, Self.apiOrder)
    }

    func testDuplicateNamesAreRefusedPerCountry() throws {
        let live = try LiveServer()
        XCTAssertEqual(try live.client().post("/v1/partners", ["name": "Musée", "kind": "institution", "country": "FR"]).status, 201)
        let before = try counts(live)

        let duplicate = try live.client().post("/v1/partners", ["name": " MUSÉE ", "kind": "foundation", "country": "FR"])
        assertProblem(duplicate, 409, "duplicate", "trimmed, Unicode case-insensitive duplicate")
        XCTAssertEqual(try counts(live), before)

        let otherCountry = try live.client().post("/v1/partners", ["name": "Musée", "kind": "institution", "country": "BE"])
        XCTAssertEqual(otherCountry.status, 201, otherCountry.text)
        let noCountry = try live.client().post("/v1/partners", ["name": "musée", "kind": "institution"])
        XCTAssertEqual(noCountry.status, 201, "no country is a value of its own: \(noCountry.text)")
        let noCountryAgain = try live.client().post("/v1/partners", ["name": "MUSÉE", "kind": "artist"])
        assertProblem(noCountryAgain, 409, "duplicate", "absent country twice")
        let explicitNull = try live.client().post("/v1/partners", ["name": "Musée ", "kind": "artist", "country": nil])
        assertProblem(explicitNull, 409, "duplicate", "null country counts as absent")
        XCTAssertEqual(try live.count("partners"), 3)

        // A rename onto an existing name and country is a duplicate too, and changes nothing.
        let belgian = try XCTUnwrap(otherCountry.json?["id"]?.stringValue)
        let moved = try live.client().patch("/v1/partners/\(belgian)", ["country": "FR"])
        assertProblem(moved, 409, "duplicate", "PATCH onto an existing name and country")
        let after = try live.client().get("/v1/partners/\(belgian)")
        XCTAssertEqual(after.json?["country"], "BE")
        XCTAssertEqual(after.json?["version"], 1)
    }

    // MARK: - Reading, conditional requests, merge patch

    func testGetWithETagAndIfNoneMatch() throws {
        let live = try LiveServer()
        let id = try create(live, ["name": "Orchestre", "kind": "association"])
        let fetched = try live.client().get("/v1/partners/\(id)")
        XCTAssertEqual(fetched.status, 200)
        XCTAssertEqual(fetched.header("ETag"), "\"1\"")
        XCTAssertEqual(fetched.json?["id"]?.stringValue, id)

        let notModified = try live.client().get("/v1/partners/\(id)", headers: [("If-None-Match", "\"1\"")])
        XCTAssertEqual(notModified.status, 304, notModified.text)
        XCTAssertTrue(notModified.body.isEmpty, "304 has no body")
        XCTAssertEqual(notModified.header("ETag"), "\"1\"")

        let stale = try live.client().get("/v1/partners/\(id)", headers: [("If-None-Match", "\"7\"")])
        XCTAssertEqual(stale.status, 200)
        XCTAssertEqual(stale.json?["id"]?.stringValue, id)

        let missing = try live.client().get("/v1/partners/ptn_nope")
        assertProblem(missing, 404, "not_found", "unknown partner")
    }

    func testMergePatchBumpsVersionAndIfMatchGuards() throws {
        let live = try LiveServer()
        let id = try create(live, ["name": "Cirque", "kind": "company", "city": "Toulouse", "website": "http://cirque.example",
                                   "expertise": ["cirque"]])
        let original = try live.client().get("/v1/partners/\(id)")

        let patched = try live.client().patch("/v1/partners/\(id)", ["city": nil, "description": "Arts de la piste"],
                                              headers: [("Content-Type", "application/merge-patch+json")])
        XCTAssertEqual(patched.status, 200, patched.text)
        XCTAssertEqual(patched.header("ETag"), "\"2\"")
        XCTAssertEqual(patched.json?["version"], 2)
        XCTAssertTrue(patched.json?["city"] == nil || patched.json?["city"] == .null, "null removes the field: \(patched.text)")
        XCTAssertEqual(patched.json?["description"], "Arts de la piste")
        XCTAssertEqual(patched.json?["website"], "http://cirque.example", "untouched fields stay")
        XCTAssertEqual(patched.json?["name"], "Cirque")
        XCTAssertEqual(patched.json?["expertise"], ["cirque"])
        XCTAssertEqual(patched.json?["created_at"], original.json?["created_at"])
        XCTAssertEqual(patched.json?.objectValue?.keys, Self.apiOrder)

        let stored = try live.client().get("/v1/partners/\(id)")
        XCTAssertEqual(stored.header("ETag"), "\"2\"")
        XCTAssertEqual(stored.json, patched.json)
        XCTAssertEqual(try live.client().get("/v1/partners/\(id)", headers: [("If-None-Match", "\"1\"")]).status, 200)
        XCTAssertEqual(try live.client().get("/v1/partners/\(id)", headers: [("If-None-Match", "\"2\"")]).status, 304)

        let auditBefore = try live.count("audit")
        let stale = try live.client().patch("/v1/partners/\(id)", ["name": "Cirque Renommé"], headers: [("If-Match", "\"1\"")])
        assertProblem(stale, 412, "precondition_failed", "stale If-Match")
        let unchanged = try live.client().get("/v1/partners/\(id)")
        XCTAssertEqual(unchanged.json, stored.json, "the row is unchanged after 412")
        XCTAssertEqual(try live.count("audit"), auditBefore)

        // If-Match compares strongly: a weak tag never matches (RFC 9110 §13.1.1).
        assertProblem(try live.client().patch("/v1/partners/\(id)", ["name": "Cirque Renommé"], headers: [("If-Match", "W/\"2\"")]),
                      412, "precondition_failed", "weak If-Match")
        XCTAssertEqual(try live.count("audit"), auditBefore)
        // Any tag of a list may match.
        let current = try live.client().patch("/v1/partners/\(id)", ["name": "Cirque Renommé"], headers: [("If-Match", "\"9\", \"2\"")])
        XCTAssertEqual(current.status, 200, current.text)
        XCTAssertEqual(current.json?["version"], 3)
        XCTAssertEqual(current.header("ETag"), "\"3\"")
        XCTAssertEqual(current.json?["name"], "Cirque Renommé")

        // A patch that breaks a rule is refused whole.
        let invalid = try live.client().patch("/v1/partners/\(id)", ["name": nil, "city": "Albi"])
        assertProblem(invalid, 422, "validation_failed", "removing the required name")
        XCTAssertEqual(invalid.errorFields, ["name"])
        let unknown = try live.client().patch("/v1/partners/\(id)", ["colour": "red"])
        assertProblem(unknown, 422, "validation_failed", "unknown field in a patch")
        XCTAssertEqual(try live.client().get("/v1/partners/\(id)").json?["version"], 3)

        let textPlain = try live.client().patch("/v1/partners/\(id)", ["city": "Albi"], headers: [("Content-Type", "text/plain")])
        assertProblem(textPlain, 415, "unsupported_media_type", "PATCH as text/plain")
        XCTAssertEqual(try live.client().patch("/v1/partners/ptn_nope", ["city": "Albi"]).status, 404)
    }

    // MARK: - Bodies

    func testBadBodiesAreRefused() throws {
        let live = try LiveServer()
        let before = try counts(live)
        let valid = Array(#"{"name": "Texte", "kind": "other"}"#.utf8)

        let plain = try live.client().raw("POST", "/v1/partners", body: valid, headers: [("Content-Type", "text/plain")])
        assertProblem(plain, 415, "unsupported_media_type", "text/plain")
        let noType = try live.client().raw("POST", "/v1/partners", body: valid, headers: [])
        assertProblem(noType, 415, "unsupported_media_type", "no Content-Type")
        let mergePatchOnPost = try live.client().raw("POST", "/v1/partners", body: valid, headers: [("Content-Type", "application/merge-patch+json")])
        assertProblem(mergePatchOnPost, 415, "unsupported_media_type", "merge-patch on POST")

        for broken in [#"{"name": "#, #"{"name": "x", "kind": "other",}"#, "nope", #"{'name': 'x'}"#] {
            let response = try live.client().raw("POST", "/v1/partners", body: Array(broken.utf8), headers: [("Content-Type", "application/json")])
            assertProblem(response, 400, "invalid_json", broken)
        }
        let array = try live.client().raw("POST", "/v1/partners", body: Array(#"[{"name": "x", "kind": "other"}]"#.utf8),
                                          headers: [("Content-Type", "application/json")])
        assertProblem(array, 422, "validation_failed", "array body")
        let string = try live.client().raw("POST", "/v1/partners", body: Array(#""x""#.utf8), headers: [("Content-Type", "application/json")])
        assertProblem(string, 422, "validation_failed", "string body")
        XCTAssertEqual(try counts(live), before)

        let charset = try live.client().raw("POST", "/v1/partners", body: valid, headers: [("Content-Type", "application/json; charset=utf-8")])
        XCTAssertEqual(charset.status, 201, charset.text)
    }

    // MARK: - Delete

    func testDeleteAndInUse() throws {
        let live = try LiveServer()
        let fixtures = Fixtures(client: live.client())
        let free = try fixtures.partner("Libre")
        let busy = try fixtures.partner("Occupé")
        let project = try fixtures.project("Biennale", partners: [busy: "lead"])

        let deleted = try live.client().delete("/v1/partners/\(free)")
        XCTAssertEqual(deleted.status, 204, deleted.text)
        XCTAssertTrue(deleted.body.isEmpty)
        assertProblem(try live.client().get("/v1/partners/\(free)"), 404, "not_found", "GET after DELETE")
        assertProblem(try live.client().delete("/v1/partners/\(free)"), 404, "not_found", "DELETE twice")

        let before = try counts(live)
        let inUse = try live.client().delete("/v1/partners/\(busy)")
        assertProblem(inUse, 409, "in_use", "partner taking part in a project")
        XCTAssertEqual(try counts(live), before)
        XCTAssertEqual(try live.client().get("/v1/partners/\(busy)").status, 200)

        // Once it no longer takes part, it can go; a stale If-Match still guards the delete.
        XCTAssertEqual(try live.client().delete("/v1/projects/\(project)/partners/\(busy)").status, 204)
        assertProblem(try live.client().delete("/v1/partners/\(busy)", headers: [("If-Match", "\"9\"")]), 412, "precondition_failed", "stale If-Match on DELETE")
        XCTAssertEqual(try live.client().delete("/v1/partners/\(busy)", headers: [("If-Match", "\"1\"")]).status, 204)
        XCTAssertEqual(try live.count("partners"), 0)
    }

    func testDeletingAPartnerThatIsPartyToAConventionIsInUse() throws {
        let live = try LiveServer()
        let fixtures = Fixtures(client: live.client())
        let a = try fixtures.partner("Partie A")
        let b = try fixtures.partner("Partie B")
        let project = try fixtures.project("Projet commun", partners: [a: "lead", b: "funder"])
        _ = try fixtures.convention(project: project, parties: [(a, 1000), (b, 2000)])
        XCTAssertEqual(try live.client().delete("/v1/projects/\(project)/partners/\(b)").status, 204)
        assertProblem(try live.client().delete("/v1/partners/\(b)"), 409, "in_use", "party to a convention")
        XCTAssertEqual(try live.client().get("/v1/partners/\(b)").status, 200)
    }

    // MARK: - Lists

    func testListFilters() throws {
        let live = try LiveServer()
        let louvre = try create(live, ["name": "Musée du Louvre", "kind": "institution", "country": "FR"])
        let lens = try create(live, ["name": "Louvre-Lens Studio", "kind": "company", "country": "FR"])
        let tate = try create(live, ["name": "Tate Modern", "kind": "institution", "country": "GB"])
        let vivant = try create(live, ["name": "Atelier MUSÉE vivant", "kind": "association", "country": "BE"])
        let nowhere = try create(live, ["name": "Collectif sans pays", "kind": "association"])
        let client = live.client()

        XCTAssertEqual(ids(try client.get("/v1/partners")), [louvre, lens, tate, vivant, nowhere], "oldest first")
        XCTAssertEqual(ids(try client.get("/v1/partners?kind=institution")), [louvre, tate])
        XCTAssertEqual(ids(try client.get("/v1/partners?kind=association")), [vivant, nowhere])
        XCTAssertEqual(ids(try client.get("/v1/partners?kind=foundation")), [])
        XCTAssertEqual(ids(try client.get("/v1/partners?country=FR")), [louvre, lens])
        XCTAssertEqual(ids(try client.get("/v1/partners?country=GB")), [tate])
        XCTAssertEqual(ids(try client.get("/v1/partners?country=fr")), [louvre, lens], "either case, as on create")
        XCTAssertEqual(ids(try client.get("/v1/partners?kind=institution&country=FR")), [louvre])
        XCTAssertEqual(ids(try client.get("/v1/partners?q=louvre")), [louvre, lens])
        XCTAssertEqual(ids(try client.get("/v1/partners?q=LOUVRE")), [louvre, lens])
        XCTAssertEqual(ids(try client.get("/v1/partners?q=mus%C3%A9e")), [louvre, vivant], "q=musée")
        XCTAssertEqual(ids(try client.get("/v1/partners?q=MUS%C3%89E")), [louvre, vivant], "q=MUSÉE")
        XCTAssertEqual(ids(try client.get("/v1/partners?q=odern")), [tate], "substring")
        XCTAssertEqual(ids(try client.get("/v1/partners?q=zzz")), [])
        XCTAssertEqual(ids(try client.get("/v1/partners?q=louvre&kind=company")), [lens])
        let empty = try client.get("/v1/partners?kind=foundation")
        XCTAssertEqual(empty.json?["next_cursor"], .null)
        XCTAssertEqual(empty.json?["items"], [])

        let bad: [(String, String)] = [
            ("/v1/partners?kind=castle", "kind"),
            ("/v1/partners?kind=Institution", "kind"),
            ("/v1/partners?country=FRA", "country"),
            ("/v1/partners?country=XX", "country"),
            ("/v1/partners?limit=0", "limit"),
            ("/v1/partners?limit=501", "limit"),
            ("/v1/partners?limit=abc", "limit"),
            ("/v1/partners?limit=-1", "limit"),
            ("/v1/partners?limit=2.5", "limit"),
            ("/v1/partners?cursor=garbage", "cursor"),
            ("/v1/partners?cursor=%00%01", "cursor"),
        ]
        for (path, field) in bad {
            let response = try client.get(path)
            assertProblem(response, 400, "bad_request", path)
            XCTAssertTrue(response.errorFields.isEmpty || response.errorFields == [field], "\(path): \(response.text)")
        }
        XCTAssertEqual(try client.get("/v1/partners?limit=1").status, 200)
        XCTAssertEqual(try client.get("/v1/partners?limit=500").status, 200)
    }

    func testPaginationIsStableUnderInserts() throws {
        let live = try LiveServer()
        var created: [String] = []
        for index in 1...7 {
            created.append(try create(live, ["name": .string("Partenaire \(index)"), "kind": "other"]))
        }
        let client = live.client()

        // Three pages: 3, 3, 1, the last with a null cursor.
        var seen: [String] = []
        var sizes: [Int] = []
        var path = "/v1/partners?limit=3"
        for _ in 0..<10 {
            let page = try client.get(path)
            XCTAssertEqual(page.status, 200, page.text)
            let items = ids(page)
            seen += items
            sizes.append(items.count)
            guard let cursor = page.json?["next_cursor"]?.stringValue else {
                XCTAssertEqual(page.json?["next_cursor"], .null, "next_cursor is present and null at the end")
                break
            }
            XCTAssertFalse(cursor.isEmpty)
            path = "/v1/partners?limit=3&cursor=\(cursor)"
        }
        XCTAssertEqual(sizes, [3, 3, 1])
        XCTAssertEqual(seen, created, "oldest first, no duplicates, no misses")

        // An insert between page 1 and page 2 neither repeats nor skips anything.
        let first = try client.get("/v1/partners?limit=3")
        XCTAssertEqual(ids(first), Array(created[0..<3]))
        let cursor = try XCTUnwrap(first.json?["next_cursor"]?.stringValue)
        let late = try create(live, ["name": "Partenaire tardif", "kind": "other"])
        let second = try client.get("/v1/partners?limit=3&cursor=\(cursor)")
        XCTAssertEqual(ids(second), Array(created[3..<6]))
        let cursor2 = try XCTUnwrap(second.json?["next_cursor"]?.stringValue)
        let third = try client.get("/v1/partners?limit=3&cursor=\(cursor2)")
        XCTAssertEqual(ids(third), [created[6], late])
        XCTAssertEqual(third.json?["next_cursor"], .null)

        // A deletion between pages does not skip anything either.
        let again = try client.get("/v1/partners?limit=3")
        let cursor3 = try XCTUnwrap(again.json?["next_cursor"]?.stringValue)
        XCTAssertEqual(try client.delete("/v1/partners/\(created[2])").status, 204)
        XCTAssertEqual(ids(try client.get("/v1/partners?limit=3&cursor=\(cursor3)")), Array(created[3..<6]))
    }

    // MARK: - CSV

    func testCSVExport() throws {
        let live = try LiveServer()
        let tricky = "Compagnie \"Les Mots\", Paris"
        let trickyID = try create(live, ["name": .string(tricky), "kind": "company", "country": "FR",
                                         "expertise": ["théâtre", "danse", "marionnette"], "description": "Ligne 1\nLigne 2"])
        var others: [String] = []
        for index in 1...6 {
            others.append(try create(live, ["name": .string("Lieu \(index)"), "kind": index.isMultiple(of: 2) ? "institution" : "artist",
                                            "city": "Nantes"]))
        }

        let response = try live.client().get("/v1/partners?limit=2", headers: [("Accept", "text/csv")])
        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertTrue(response.header("Content-Type")?.hasPrefix("text/csv") ?? false, "\(response.headers)")
        XCTAssertTrue(response.text.hasPrefix(Self.csvHeader + "\r\n"), "header row: \(response.text.prefix(200))")
        XCTAssertTrue(response.text.contains("\"Compagnie \"\"Les Mots\"\", Paris\"") && response.text.contains("\"Ligne 1\nLigne 2\""), "RFC 4180 quoting: \(response.text)")

        let rows = try XCTUnwrap(parseCSV(response.text), "well-formed CSV")
        XCTAssertEqual(rows.first, Self.csvHeader.components(separatedBy: ","))
        let data = Array(rows.dropFirst())
        XCTAssertEqual(data.count, 7, "every row, no paging")
        for row in data { XCTAssertEqual(row.count, 13, "\(row)") }
        guard data.count == 7, data.allSatisfy({ $0.count == 13 }) else { return }
        XCTAssertEqual(data.map { $0[0] }, [trickyID] + others, "oldest first")

        let row = try XCTUnwrap(data.first)
        let fetched = try live.client().get("/v1/partners/\(trickyID)")
        XCTAssertEqual(row[1], tricky)
        XCTAssertEqual(row[2], "company")
        XCTAssertEqual(row[3], "", "null → empty cell")
        XCTAssertEqual(row[4], "FR")
        XCTAssertEqual(row[5], "")
        XCTAssertEqual(row[8], "théâtre;danse;marionnette")
        XCTAssertEqual(row[9], "Ligne 1\nLigne 2")
        XCTAssertEqual(row[10], fetched.json?["created_at"]?.stringValue)
        XCTAssertEqual(row[11], fetched.json?["updated_at"]?.stringValue)
        XCTAssertEqual(row[12], "1")
        XCTAssertEqual(data[1][1], "Lieu 1")
        XCTAssertEqual(data[1][5], "Nantes")
        XCTAssertEqual(data[1][8], "", "empty expertise → empty cell")

        // Filters apply to CSV too.
        let filtered = try live.client().get("/v1/partners?kind=institution", headers: [("Accept", "text/csv")])
        let filteredRows = try XCTUnwrap(parseCSV(filtered.text))
        XCTAssertEqual(filteredRows.dropFirst().map { $0[0] }, [others[1], others[3], others[5]])

        // An empty list still has its header.
        let none = try live.client().get("/v1/partners?kind=foundation", headers: [("Accept", "text/csv")])
        XCTAssertEqual(none.status, 200)
        XCTAssertEqual(none.text, Self.csvHeader + "\r\n")

        // JSON stays the default.
        let json = try live.client().get("/v1/partners?limit=2")
        XCTAssertEqual(ids(json).count, 2)
    }

    func testCSVQuotesCellsHoldingCRLF() throws {
        let live = try LiveServer()
        // Names may not hold line breaks; free text such as descriptions may.
        let id = try create(live, ["name": "Retour chariot", "kind": "other", "description": "Ligne 1\r\nLigne 2"])
        let second = try create(live, ["name": "Retour seul", "kind": "other", "description": "Seul\rCR"])
        let response = try live.client().get("/v1/partners", headers: [("Accept", "text/csv")])
        XCTAssertEqual(response.status, 200)
        // A cell holding a line break (CRLF or a bare CR) must be quoted (RFC 4180 §2.6).
        XCTAssertTrue(response.text.contains(",\"Ligne 1\r\nLigne 2\","), "CRLF cell not quoted: \(response.text.debugDescription)")
        XCTAssertTrue(response.text.contains(",\"Seul\rCR\""), "CR cell not quoted: \(response.text.debugDescription)")
        let rows = parseCSV(response.text)
        XCTAssertEqual(rows?.count, 3, "header and two rows: \(response.text.debugDescription)")
        XCTAssertEqual(rows?.dropFirst().map(\.first), [id, second])
        XCTAssertEqual(rows?.last?.count, 13)
    }

    /// RFC 4180: rows end in CRLF; quoted fields may hold commas, quotes (doubled) and line breaks.
    private func parseCSV(_ text: String) -> [[String]]? {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            if inQuotes {
                if c == "\"" {
                    if chars.first == "\"" {
                        field.unicodeScalars.append("\"")
                        chars = chars.dropFirst()
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                guard field.isEmpty else { return nil }
                inQuotes = true
            } else if c == "," {
                row.append(field)
                field = ""
            } else if c == "\r" {
                guard chars.first == "\n" else { return nil }
                chars = chars.dropFirst()
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else if c == "\n" {
                return nil
            } else {
                field.unicodeScalars.append(c)
            }
        }
        guard !inQuotes, row.isEmpty, field.isEmpty else { return nil }
        return rows
    }

    // MARK: - Atomicity and audit

    func testFailedRequestsLeaveEveryTableUnchanged() throws {
        let live = try LiveServer()
        let id = try create(live, ["name": "Maison de la Culture", "kind": "institution", "country": "FR"])
        XCTAssertEqual(try live.client().patch("/v1/partners/\(id)", ["city": "Bourges"]).status, 200)
        let before = try counts(live)
        let document = try live.client().get("/v1/partners/\(id)").json

        let invalid = try live.client().post("/v1/partners", ["name": "", "kind": "castle"])
        assertProblem(invalid, 422, "validation_failed", "422")
        XCTAssertEqual(try counts(live), before, "after a 422")

        let duplicate = try live.client().post("/v1/partners", ["name": "maison de la culture", "kind": "company", "country": "FR"])
        assertProblem(duplicate, 409, "duplicate", "409")
        XCTAssertEqual(try counts(live), before, "after a 409")

        let stale = try live.client().patch("/v1/partners/\(id)", ["city": "Amiens"], headers: [("If-Match", "\"1\"")])
        assertProblem(stale, 412, "precondition_failed", "412")
        XCTAssertEqual(try counts(live), before, "after a 412")

        let staleDelete = try live.client().delete("/v1/partners/\(id)", headers: [("If-Match", "\"1\"")])
        assertProblem(staleDelete, 412, "precondition_failed", "412 on DELETE")
        XCTAssertEqual(try counts(live), before, "after a 412 on DELETE")

        let invalidPatch = try live.client().patch("/v1/partners/\(id)", ["website": "ftp://x"])
        assertProblem(invalidPatch, 422, "validation_failed", "422 on PATCH")
        XCTAssertEqual(try counts(live), before, "after a 422 on PATCH")

        XCTAssertEqual(try live.client().get("/v1/partners/\(id)").json, document)
    }

    func testEachWriteAddsOneAuditEntryWithTheRequestID() throws {
        let live = try LiveServer()
        var auditCount = try live.count("audit")

        let created = try live.client().post("/v1/partners", ["name": "Friche Belle de Mai", "kind": "association", "country": "FR"],
                                             headers: [("X-Request-Id", "test-req-123")])
        XCTAssertEqual(created.status, 201, created.text)
        XCTAssertEqual(created.header("X-Request-Id"), "test-req-123")
        let id = try XCTUnwrap(created.json?["id"]?.stringValue)
        XCTAssertEqual(try live.count("audit"), auditCount + 1)
        auditCount += 1

        let audit = try live.client().get("/v1/audit?entity_id=\(id)")
        XCTAssertEqual(audit.status, 200, audit.text)
        let entries = try XCTUnwrap(audit.json?["items"]?.arrayValue)
        XCTAssertEqual(entries.count, 1, audit.text)
        XCTAssertEqual(entries.first?["request_id"], "test-req-123")
        XCTAssertEqual(entries.first?["action"], "partner.created")
        XCTAssertEqual(entries.first?["entity_type"], "partner")
        XCTAssertEqual(entries.first?["entity_id"]?.stringValue, id)
        XCTAssertTrue(isRFC3339UTC(entries.first?["at"]?.stringValue), audit.text)

        let patched = try live.client().patch("/v1/partners/\(id)", ["city": "Marseille"], headers: [("X-Request-Id", "test-req-124")])
        XCTAssertEqual(patched.status, 200, patched.text)
        XCTAssertEqual(try live.count("audit"), auditCount + 1)
        auditCount += 1

        // Reads add nothing.
        _ = try live.client().get("/v1/partners/\(id)")
        _ = try live.client().get("/v1/partners")
        XCTAssertEqual(try live.count("audit"), auditCount)

        let deleted = try live.client().delete("/v1/partners/\(id)", headers: [("X-Request-Id", "test-req-125")])
        XCTAssertEqual(deleted.status, 204)
        XCTAssertEqual(try live.count("audit"), auditCount + 1)

        let trail = try live.client().get("/v1/audit?entity_id=\(id)")
        let items = try XCTUnwrap(trail.json?["items"]?.arrayValue)
        XCTAssertEqual(items.compactMap { $0["action"]?.stringValue }, ["partner.deleted", "partner.updated", "partner.created"], "newest first")
        XCTAssertEqual(items.compactMap { $0["request_id"]?.stringValue }, ["test-req-125", "test-req-124", "test-req-123"])
    }
}
