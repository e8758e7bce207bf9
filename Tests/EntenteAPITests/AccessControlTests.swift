import Foundation
import XCTest
import JSON

/// API.md §2: roles, scope, keys, authentication failures and brute force.
final class AccessControlTests: XCTestCase {
    /// Two partners; project A with partner A, project B without it; one key per role
    /// (the partner key is bound to partner A).
    private struct World {
        let live: LiveServer
        let partnerA: String
        let partnerB: String
        let projectA: String
        let projectB: String
        let tokens: [String: String]

        func client(_ role: String) -> APIClient { live.client(token: tokens[role]!) }
    }

    private static let roles = ["admin", "editor", "reader", "partner"]

    private func makeWorld() throws -> World {
        let live = try LiveServer()
        let fixtures = Fixtures(client: live.client())
        let partnerA = try fixtures.partner("Théâtre du Rond-Point")
        let partnerB = try fixtures.partner("Fondation Lumière")
        let projectA = try fixtures.project("Festival A", partners: [partnerA: "lead", partnerB: "funder"])
        let projectB = try fixtures.project("Résidence B", partners: [partnerB: "lead"])
        var tokens = ["admin": live.adminToken]
        tokens["editor"] = try live.token(role: "editor")
        tokens["reader"] = try live.token(role: "reader")
        tokens["partner"] = try live.token(role: "partner", partnerID: partnerA)
        return World(live: live, partnerA: partnerA, partnerB: partnerB, projectA: projectA, projectB: projectB, tokens: tokens)
    }

    private func assertProblem(_ response: APIResponse, _ status: Int, _ code: String, _ context: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(response.status, status, "\(context): \(response.text)", file: file, line: line)
        XCTAssertEqual(response.code, code, "\(context): \(response.text)", file: file, line: line)
        XCTAssertEqual(response.header("Content-Type"), "application/problem+json", context, file: file, line: line)
    }

    // MARK: - Reads

    func testEveryRoleMayReadListsAndResources() throws {
        let world = try makeWorld()
        for role in Self.roles {
            let client = world.client(role)
            for path in ["/v1/partners", "/v1/partners/\(world.partnerA)", "/v1/partners/\(world.partnerB)",
                         "/v1/projects", "/v1/projects/\(world.projectA)", "/v1/conventions", "/v1/audit"] {
                let response = try client.get(path)
                XCTAssertEqual(response.status, 200, "\(role) GET \(path): \(response.text)")
                XCTAssertNotNil(response.json, "\(role) GET \(path) is JSON")
            }
        }
        // Everyone but the partner key sees project B too.
        for role in ["admin", "editor", "reader"] {
            XCTAssertEqual(try world.client(role).get("/v1/projects/\(world.projectB)").status, 200, role)
            let list = try world.client(role).get("/v1/projects")
            let ids = Set(list.json?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? [])
            XCTAssertEqual(ids, [world.projectA, world.projectB], role)
        }
    }

    // MARK: - Writes on partners and projects

    func testAdminAndEditorMayWritePartnersAndProjects() throws {
        let world = try makeWorld()
        for role in ["admin", "editor"] {
            let client = world.client(role)
            let created = try client.post("/v1/partners", ["name": .string("Partner by \(role)"), "kind": "company"])
            XCTAssertEqual(created.status, 201, "\(role) POST partner: \(created.text)")
            let partner = try XCTUnwrap(created.json?["id"]?.stringValue)
            let patched = try client.patch("/v1/partners/\(partner)", ["city": "Lyon"])
            XCTAssertEqual(patched.status, 200, "\(role) PATCH partner: \(patched.text)")
            XCTAssertEqual(patched.json?["city"]?.stringValue, "Lyon")

            let project = try client.post("/v1/projects", ["title": .string("Project by \(role)")])
            XCTAssertEqual(project.status, 201, "\(role) POST project: \(project.text)")
            let projectID = try XCTUnwrap(project.json?["id"]?.stringValue)
            let patchedProject = try client.patch("/v1/projects/\(projectID)", ["discipline": "danse"])
            XCTAssertEqual(patchedProject.status, 200, "\(role) PATCH project: \(patchedProject.text)")
            let put = try client.put("/v1/projects/\(projectID)/partners/\(world.partnerA)", ["role": "host"])
            XCTAssertEqual(put.status, 201, "\(role) PUT participant: \(put.text)")
            let removed = try client.delete("/v1/projects/\(projectID)/partners/\(world.partnerA)")
            XCTAssertEqual(removed.status, 204, "\(role) DELETE participant: \(removed.text)")
            XCTAssertEqual(try client.delete("/v1/projects/\(projectID)").status, 204, "\(role) DELETE project")
            XCTAssertEqual(try client.delete("/v1/partners/\(partner)").status, 204, "\(role) DELETE partner")
            XCTAssertEqual(try client.get("/v1/partners/\(partner)").status, 404)
            XCTAssertEqual(try client.get("/v1/projects/\(projectID)").status, 404)
        }
    }

    func testReaderAndPartnerMayNotWritePartnersOrProjects() throws {
        let world = try makeWorld()
        let before = try (world.live.count("partners"), world.live.count("projects"), world.live.count("project_partners"), world.live.count("audit"))
        for role in ["reader", "partner"] {
            let client = world.client(role)
            let attempts: [(String, String, JSON?)] = [
                ("POST", "/v1/partners", ["name": "Intrus", "kind": "other"]),
                ("PATCH", "/v1/partners/\(world.partnerA)", ["city": "Nantes"]),
                ("PATCH", "/v1/partners/\(world.partnerB)", ["city": "Nantes"]),
                ("DELETE", "/v1/partners/\(world.partnerB)", nil),
                ("POST", "/v1/projects", ["title": "Intrusion"]),
                ("PATCH", "/v1/projects/\(world.projectA)", ["title": "Renamed"]),
                ("DELETE", "/v1/projects/\(world.projectA)", nil),
                ("PUT", "/v1/projects/\(world.projectA)/partners/\(world.partnerB)", ["role": "host"]),
                ("DELETE", "/v1/projects/\(world.projectA)/partners/\(world.partnerB)", nil),
            ]
            for (method, path, body) in attempts {
                let response = try client.send(method, path, body: body)
                assertProblem(response, 403, "forbidden", "\(role) \(method) \(path)")
            }
        }
        let after = try (world.live.count("partners"), world.live.count("projects"), world.live.count("project_partners"), world.live.count("audit"))
        XCTAssertTrue(before == after, "refused writes changed rows: \(before) → \(after)")
        let project = try world.client("admin").get("/v1/projects/\(world.projectA)")
        XCTAssertEqual(project.json?["title"]?.stringValue, "Festival A")
        XCTAssertEqual(project.json?["version"]?.intValue, 3)
    }

    // MARK: - API keys

    func testAPIKeysAreForAdminsOnly() throws {
        let world = try makeWorld()
        let listed = try world.client("admin").get("/v1/api-keys")
        XCTAssertEqual(listed.status, 200)
        let someKey = try XCTUnwrap(listed.json?["items"]?.arrayValue?.first?["id"]?.stringValue)
        let keysBefore = try world.live.count("api_keys")
        for role in ["editor", "reader", "partner"] {
            let client = world.client(role)
            assertProblem(try client.get("/v1/api-keys"), 403, "forbidden", "\(role) GET /v1/api-keys")
            assertProblem(try client.post("/v1/api-keys", ["name": "mine", "role": "admin"]), 403, "forbidden", "\(role) POST /v1/api-keys")
            assertProblem(try client.delete("/v1/api-keys/\(someKey)"), 403, "forbidden", "\(role) DELETE /v1/api-keys/{id}")
            assertProblem(try client.get("/v1/api-keys/\(someKey)"), 403, "forbidden", "\(role) GET /v1/api-keys/{id}")
        }
        XCTAssertEqual(try world.live.count("api_keys"), keysBefore)
        // The key the refused DELETE named still works.
        XCTAssertEqual(try world.client("admin").get("/v1/partners").status, 200)
        let created = try world.client("admin").post("/v1/api-keys", ["name": "second admin", "role": "admin"])
        XCTAssertEqual(created.status, 201, created.text)
        XCTAssertEqual(try world.live.count("api_keys"), keysBefore + 1)
    }

    func testOpenEndpointsNeedNoToken() throws {
        let live = try LiveServer()
        let anonymous = live.anonymous()
        let health = try anonymous.get("/healthz")
        XCTAssertEqual(health.status, 200, health.text)
        let ready = try anonymous.get("/readyz")
        XCTAssertEqual(ready.status, 200, ready.text)
        let openAPI = try anonymous.get("/openapi.yaml")
        XCTAssertEqual(openAPI.status, 200, openAPI.text)
        XCTAssertTrue(openAPI.text.hasPrefix("openapi: 3.1"), openAPI.text)
    }

    // MARK: - Authentication failures

    func testMissingUnknownOrMalformedAuthorizationIs401() throws {
        let live = try LiveServer()
        let anonymous = live.anonymous()
        let cases: [(String, [(String, String)])] = [
            ("no Authorization", []),
            ("unknown token", [("Authorization", "Bearer ent_" + String(repeating: "0", count: 64))]),
            ("unknown short token", [("Authorization", "Bearer nope")]),
            ("Basic scheme", [("Authorization", "Basic YWRtaW46YWRtaW4=")]),
            ("scheme only", [("Authorization", "Bearer")]),
            ("empty token", [("Authorization", "Bearer ")]),
            ("token without scheme", [("Authorization", live.adminToken)]),
            ("other scheme with the real token", [("Authorization", "Token \(live.adminToken)")]),
        ]
        for (name, headers) in cases {
            let requests: [(String, String, JSON?)] = [("GET", "/v1/partners", nil), ("POST", "/v1/partners", ["name": "X", "kind": "other"])]
            for (method, path, body) in requests {
                let response = try anonymous.send(method, path, body: body, headers: headers)
                XCTAssertEqual(response.status, 401, "\(name) \(method): \(response.text)")
                XCTAssertEqual(response.header("WWW-Authenticate"), "Bearer", name)
                XCTAssertEqual(response.code, "unauthorized", name)
                XCTAssertEqual(response.header("Content-Type"), "application/problem+json", name)
            }
        }
        XCTAssertEqual(try live.count("partners"), 0)
        // The real token still works.
        XCTAssertEqual(try live.client().get("/v1/partners").status, 200)
    }

    func testRevokedKeyIsRefusedOnTheNextRequest() throws {
        let live = try LiveServer()
        let created = try live.client().post("/v1/api-keys", ["name": "temporary editor", "role": "editor"])
        XCTAssertEqual(created.status, 201, created.text)
        let id = try XCTUnwrap(created.json?["id"]?.stringValue)
        let token = try XCTUnwrap(created.json?["token"]?.stringValue)
        XCTAssertEqual(created.header("ETag"), "\"1\"")
        // Its Location answers, without the token.
        let location = try XCTUnwrap(created.header("Location"))
        XCTAssertEqual(location, "/v1/api-keys/\(id)")
        let fetched = try live.client().get(location)
        XCTAssertEqual(fetched.status, 200, fetched.text)
        XCTAssertEqual(fetched.header("ETag"), "\"1\"")
        XCTAssertEqual(fetched.json?["version"], 1)
        XCTAssertEqual(fetched.json?["updated_at"], created.json?["created_at"])
        XCTAssertEqual(fetched.json?["revoked_at"], .null)
        XCTAssertNil(fetched.json?["token"])
        XCTAssertEqual(try live.client().get("/v1/api-keys/key_none").status, 404)
        let editor = live.client(token: token)
        // Used once, so any cache of the key is warm.
        XCTAssertEqual(try editor.get("/v1/partners").status, 200)
        XCTAssertEqual(try editor.post("/v1/partners", ["name": "Avant", "kind": "other"]).status, 201)

        let revoked = try live.client().delete("/v1/api-keys/\(id)")
        XCTAssertEqual(revoked.status, 204, revoked.text)
        let afterRevocation = try live.client().get("/v1/api-keys/\(id)")
        XCTAssertEqual(afterRevocation.status, 200, "a revoked key is still found: \(afterRevocation.text)")
        XCTAssertEqual(afterRevocation.header("ETag"), "\"2\"")
        XCTAssertEqual(afterRevocation.json?["version"], 2)
        XCTAssertNotEqual(afterRevocation.json?["revoked_at"], .null)
        XCTAssertEqual(afterRevocation.json?["updated_at"], afterRevocation.json?["revoked_at"])

        let refused = try editor.get("/v1/partners")
        XCTAssertEqual(refused.status, 401, refused.text)
        XCTAssertEqual(refused.code, "unauthorized")
        XCTAssertEqual(refused.header("WWW-Authenticate"), "Bearer")
        let refusedWrite = try editor.post("/v1/partners", ["name": "Après", "kind": "other"])
        XCTAssertEqual(refusedWrite.status, 401, refusedWrite.text)
        XCTAssertEqual(try live.count("partners"), 1)
        // Revoking it again: the key is no longer active.
        XCTAssertEqual(try live.client().delete("/v1/api-keys/\(id)").status, 404)
        // The admin is unaffected.
        XCTAssertEqual(try live.client().get("/v1/partners").status, 200)
    }

    func testDeletingAPartnerEndsItsKeys() throws {
        let live = try LiveServer()
        let partner = try Fixtures(client: live.client()).partner("Éphémère")
        let token = try live.token(role: "partner", partnerID: partner)
        XCTAssertEqual(try live.client(token: token).get("/v1/partners").status, 200)  // cached now
        XCTAssertEqual(try live.count("api_keys"), 2)

        XCTAssertEqual(try live.client().delete("/v1/partners/\(partner)").status, 204)
        XCTAssertEqual(try live.client(token: token).get("/v1/partners").status, 401)
        XCTAssertEqual(try live.count("api_keys"), 1)
    }

    func testTokensAppearOnlyInTheCreationResponse() throws {
        let live = try LiveServer()
        let partner = try Fixtures(client: live.client()).partner("Compagnie XY")
        var tokens: [String] = [live.adminToken]
        for (role, partnerID) in [("editor", nil), ("reader", nil), ("partner", partner as String?)] {
            var body: JSONObject = ["name": .string("\(role) key"), "role": .string(role)]
            if let partnerID { body["partner_id"] = .string(partnerID) }
            let created = try live.client().post("/v1/api-keys", .object(body))
            XCTAssertEqual(created.status, 201, created.text)
            let token = try XCTUnwrap(created.json?["token"]?.stringValue, created.text)
            // ≥ 256 random bits: at least 64 hex digits or 43 base64url characters.
            XCTAssertGreaterThanOrEqual(token.count, 43, token)
            XCTAssertEqual(created.json?["role"]?.stringValue, role)
            XCTAssertEqual(created.json?["partner_id"]?.stringValue, partnerID)
            XCTAssertNotNil(created.json?["id"]?.stringValue)
            XCTAssertFalse(tokens.contains(token), "tokens are unique")
            tokens.append(token)
        }
        let listed = try live.client().get("/v1/api-keys")
        XCTAssertEqual(listed.status, 200, listed.text)
        let items = try XCTUnwrap(listed.json?["items"]?.arrayValue)
        XCTAssertEqual(items.count, 4)
        XCTAssertEqual(items.compactMap { $0["role"]?.stringValue }, ["admin", "editor", "reader", "partner"])
        for item in items {
            let keys = item.objectValue?.keys ?? []
            XCTAssertFalse(keys.contains { $0.lowercased().contains("token") || $0.lowercased().contains("hash") || $0.lowercased().contains("secret") },
                           "listed key exposes \(keys)")
        }
        XCTAssertFalse(listed.text.contains("\"token\""), listed.text)
        for token in tokens {
            XCTAssertFalse(listed.text.contains(token), "token listed")
            // Nor any recognisable part of it.
            XCTAssertFalse(listed.text.contains(String(token.suffix(32))), "token suffix listed")
        }
    }

    func testLogNeverContainsTokens() throws {
        let live = try LiveServer()
        let partner = try Fixtures(client: live.client()).partner("Atelier Log")
        var tokens = [live.adminToken]
        tokens.append(try live.token(role: "editor"))
        tokens.append(try live.token(role: "reader"))
        tokens.append(try live.token(role: "partner", partnerID: partner))
        for token in tokens {
            XCTAssertEqual(try live.client(token: token).get("/v1/partners").status, 200)
            XCTAssertEqual(try live.client(token: token).get("/v1/partners/\(partner)").status, 200)
        }
        // Refused tokens must not be logged either.
        let wrong = "ent_" + String(repeating: "ab", count: 32)
        XCTAssertEqual(try live.client(token: wrong).get("/v1/partners").status, 401)
        let marker = try live.client().get("/v1/projects", headers: [("X-Request-Id", "log-marker-999")])
        XCTAssertEqual(marker.status, 200)
        XCTAssertEqual(marker.header("X-Request-Id"), "log-marker-999")

        XCTAssertTrue(live.logPipe.waitFor("log-marker-999"), "the access log has the request: \(live.logPipe.text)")
        let log = live.logPipe.text
        for token in tokens + [wrong] {
            XCTAssertFalse(log.contains(token), "token in log")
            XCTAssertFalse(log.contains(String(token.suffix(24))), "part of a token in log")
        }
        XCTAssertFalse(log.contains("Bearer"), "Authorization in log")
        XCTAssertFalse(log.lowercased().contains("bearer"), "Authorization in log")
    }

    func testBruteForceIsThrottledButValidTokensStillPass() throws {
        let live = try LiveServer()
        let anonymous = live.anonymous()
        for attempt in 1...20 {
            let response = try anonymous.get("/v1/partners", headers: [("Authorization", "Bearer guess-\(attempt)")])
            XCTAssertEqual(response.status, 401, "attempt \(attempt): \(response.text)")
            XCTAssertEqual(response.code, "unauthorized", "attempt \(attempt)")
        }
        let throttled = try anonymous.get("/v1/partners", headers: [("Authorization", "Bearer guess-21")])
        XCTAssertEqual(throttled.status, 429, throttled.text)
        XCTAssertEqual(throttled.code, "too_many_requests")
        XCTAssertEqual(throttled.header("Content-Type"), "application/problem+json")
        let retryAfter = try XCTUnwrap(throttled.header("Retry-After"), "Retry-After header")
        XCTAssertTrue(retryAfter.allSatisfy(\.isNumber), "Retry-After is integer seconds: \(retryAfter)")
        let seconds = try XCTUnwrap(Int(retryAfter))
        XCTAssertTrue((1...60).contains(seconds), "Retry-After \(seconds)")
        // A valid token from the same address is not held back.
        let valid = try live.client().get("/v1/partners")
        XCTAssertEqual(valid.status, 200, valid.text)
        let editor = try live.token(role: "editor")
        XCTAssertEqual(try live.client(token: editor).get("/v1/partners").status, 200)
    }

    // MARK: - Partner scope

    func testPartnerKeySeesOnlyItsWorld() throws {
        let world = try makeWorld()
        let admin = world.client("admin")
        let fixtures = Fixtures(client: admin)
        let projectC = try fixtures.project("Tournée C", partners: [world.partnerA: "contributor"])
        let projectD = try fixtures.project("Exposition D")
        let partner = world.client("partner")

        let own = try partner.get("/v1/projects/\(world.projectA)")
        XCTAssertEqual(own.status, 200, own.text)
        XCTAssertEqual(own.json?["id"]?.stringValue, world.projectA)
        XCTAssertEqual(try partner.get("/v1/projects/\(projectC)").status, 200)

        for outside in [world.projectB, projectD] {
            assertProblem(try partner.get("/v1/projects/\(outside)"), 404, "not_found", "GET outside project")
            assertProblem(try partner.patch("/v1/projects/\(outside)", ["title": "Hijack"]), 404, "not_found", "PATCH outside project")
            assertProblem(try partner.delete("/v1/projects/\(outside)"), 404, "not_found", "DELETE outside project")
            assertProblem(try partner.put("/v1/projects/\(outside)/partners/\(world.partnerA)", ["role": "host"]), 404, "not_found",
                          "PUT participant on outside project")
        }
        // A visible project the role may not change: 403.
        assertProblem(try partner.patch("/v1/projects/\(world.projectA)", ["title": "Hijack"]), 403, "forbidden", "PATCH own project")
        XCTAssertEqual(try admin.get("/v1/projects/\(world.projectB)").json?["title"]?.stringValue, "Résidence B")
        XCTAssertEqual(try admin.get("/v1/projects/\(world.projectA)").json?["title"]?.stringValue, "Festival A")

        let list = try partner.get("/v1/projects")
        XCTAssertEqual(list.status, 200, list.text)
        let ids = list.json?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
        XCTAssertEqual(ids, [world.projectA, projectC])
        // Filters cannot widen the scope.
        let filtered = try partner.get("/v1/projects?partner_id=\(world.partnerB)")
        XCTAssertEqual(filtered.status, 200)
        XCTAssertEqual(filtered.json?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue }, [world.projectA])

        // The partner directory is open to partner keys.
        let directory = try partner.get("/v1/partners")
        XCTAssertEqual(directory.status, 200, directory.text)
        XCTAssertEqual(Set(directory.json?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []), [world.partnerA, world.partnerB])
        XCTAssertEqual(try partner.get("/v1/partners/\(world.partnerB)").status, 200)
    }

    func testPartnerKeyCreationIsValidated() throws {
        let live = try LiveServer()
        let partner = try Fixtures(client: live.client()).partner("Association Tandem")
        let before = try live.count("api_keys")

        let missing = try live.client().post("/v1/api-keys", ["name": "no partner", "role": "partner"])
        assertProblem(missing, 422, "validation_failed", "partner key without partner_id")
        XCTAssertTrue(missing.errorFields.contains("partner_id"), missing.text)

        let unknown = try live.client().post("/v1/api-keys", ["name": "ghost", "role": "partner", "partner_id": "ptn_does_not_exist"])
        assertProblem(unknown, 422, "validation_failed", "partner key with unknown partner_id")
        XCTAssertTrue(unknown.errorFields.contains("partner_id"), unknown.text)

        let badRole = try live.client().post("/v1/api-keys", ["name": "super", "role": "superuser"])
        assertProblem(badRole, 422, "validation_failed", "unknown role")
        XCTAssertTrue(badRole.errorFields.contains("role"), badRole.text)

        XCTAssertEqual(try live.count("api_keys"), before)

        let good = try live.client().post("/v1/api-keys", ["name": "tandem", "role": "partner", "partner_id": .string(partner)])
        XCTAssertEqual(good.status, 201, good.text)
        XCTAssertEqual(good.json?["partner_id"]?.stringValue, partner)
        XCTAssertEqual(try live.count("api_keys"), before + 1)
    }
}
