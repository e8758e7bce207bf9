import XCTest
import JSON

/// `GET /v1/partners/{id}/standing` (API.md §14): a partner's record as a
/// partner, one item per convention it is party to.
final class StandingTests: XCTestCase {

    func testStandingShapeAndValues() throws {
        let world = try StandingWorld()
        let api = world.api

        let initial = try api.get("/v1/partners/\(world.a)/standing")
        XCTAssertEqual(initial.status, 200, initial.text)
        XCTAssertEqual(initial.json?.objectValue?.keys, ["partner_id", "items", "next_cursor"])
        XCTAssertEqual(initial.json?["partner_id"], .string(world.a))
        XCTAssertEqual(initial.json?["next_cursor"], .null)
        let firstItem = try XCTUnwrap(initial.json?["items"]?.arrayValue?.first?.objectValue)
        XCTAssertEqual(firstItem.keys, ["convention_id", "overdue_cents", "overdue_obligations", "open_notices", "defaulting"])
        // A is party to the first, second and fourth conventions (oldest first), not to the third.
        XCTAssertEqual(initial.json?["items"], [
            item(world.shared, overdue: 0, obligations: 0, notices: 2, defaulting: false),
            item(world.draft, overdue: 0, obligations: 0, notices: 0, defaulting: false),
            item(world.withC, overdue: 0, obligations: 0, notices: 1, defaulting: false),
        ])

        // At the first notice's deadline: still open.
        world.live.setClock("2030-01-20T12:00:00Z")
        XCTAssertEqual(try standing(api, world.a).first, item(world.shared, overdue: 0, obligations: 0, notices: 2, defaulting: false))
        // One second later: lapsed, A defaulting, one notice still open.
        world.live.setClock("2030-01-20T12:00:01Z")
        XCTAssertEqual(try standing(api, world.a).first, item(world.shared, overdue: 0, obligations: 0, notices: 1, defaulting: true))

        // The first instalment falls due: 40 000 less the 15 000 delivered.
        world.live.setClock("2030-02-01T00:00:00Z")
        XCTAssertEqual(try standing(api, world.a).first, item(world.shared, overdue: 25_000, obligations: 0, notices: 1, defaulting: true))
        // The obligations due 2030-02-10: overdue the day after (the fulfilled one never).
        world.live.setClock("2030-02-10T23:59:59Z")
        XCTAssertEqual(try standing(api, world.a).first?["overdue_obligations"], 0)
        world.live.setClock("2030-02-11T00:00:00Z")
        XCTAssertEqual(try standing(api, world.a), [
            item(world.shared, overdue: 25_000, obligations: 1, notices: 1, defaulting: true),
            // A draft owes nothing however late its schedule, but its obligations count.
            item(world.draft, overdue: 0, obligations: 1, notices: 0, defaulting: false),
            item(world.withC, overdue: 0, obligations: 0, notices: 1, defaulting: false),
        ])
        // B's standing: its own instalment, its own obligation; nothing of A's.
        XCTAssertEqual(try standing(api, world.b), [
            item(world.shared, overdue: 50_000, obligations: 1, notices: 0, defaulting: false),
            item(world.betweenBC, overdue: 0, obligations: 0, notices: 0, defaulting: false),
        ])
        // A partner with no convention has an empty record.
        XCTAssertEqual(try standing(api, world.d), [])
        // Paged like every list.
        let firstPage = try api.get("/v1/partners/\(world.a)/standing?limit=2")
        XCTAssertEqual(firstPage.json?["items"]?.arrayValue?.compactMap { $0["convention_id"]?.stringValue }, [world.shared, world.draft])
        let cursor = try XCTUnwrap(firstPage.json?["next_cursor"]?.stringValue, firstPage.text)
        let lastPage = try api.get("/v1/partners/\(world.a)/standing?limit=2&cursor=\(cursor)")
        XCTAssertEqual(lastPage.json?["items"]?.arrayValue?.compactMap { $0["convention_id"]?.stringValue }, [world.withC])
        XCTAssertEqual(lastPage.json?["next_cursor"], .null)
        XCTAssertEqual(try api.get("/v1/partners/\(world.a)/standing?limit=0").status, 400)

        // Deliveries, a fulfilment, and lifting the default show at once.
        XCTAssertEqual(try api.patch("/v1/conventions/\(world.shared)/contributions/\(world.contributionA)", ["delivered_cents": 40_000]).status, 200)
        XCTAssertEqual(try api.post("/v1/obligations/\(world.lateObligationA)/fulfilment", [:]).status, 200)
        XCTAssertEqual(try api.delete("/v1/conventions/\(world.shared)/parties/\(world.a)/default").status, 200)
        XCTAssertEqual(try standing(api, world.a).first, item(world.shared, overdue: 0, obligations: 0, notices: 1, defaulting: false))
        // The second notice lapses in its turn.
        world.live.setClock("2030-03-11T12:00:01Z")
        XCTAssertEqual(try standing(api, world.a).first, item(world.shared, overdue: 60_000, obligations: 0, notices: 0, defaulting: true))

        // An unknown partner: 404.
        let unknown = try api.get("/v1/partners/prt_does_not_exist/standing")
        XCTAssertEqual(unknown.status, 404, unknown.text)
        XCTAssertEqual(unknown.code, "not_found")
    }

    func testAPartnerKeySeesOnlyTheConventionsItsPartnerShares() throws {
        let world = try StandingWorld()
        world.live.setClock("2030-02-11T00:00:00Z")
        func conventions(as partner: String?, of subject: String, line: UInt = #line) throws -> [String] {
            let client = try partner.map { world.live.client(token: try world.live.token(role: "partner", partnerID: $0)) } ?? world.api
            let response = try client.get("/v1/partners/\(subject)/standing")
            XCTAssertEqual(response.status, 200, response.text, line: line)
            XCTAssertEqual(response.json?["partner_id"], .string(subject), line: line)
            return response.json?["items"]?.arrayValue?.compactMap { $0["convention_id"]?.stringValue } ?? []
        }
        XCTAssertEqual(try conventions(as: nil, of: world.a), [world.shared, world.draft, world.withC])
        XCTAssertEqual(try conventions(as: world.a, of: world.a), [world.shared, world.draft, world.withC], "its own record, whole")
        XCTAssertEqual(try conventions(as: world.b, of: world.a), [world.shared], "B shares only the first with A")
        XCTAssertEqual(try conventions(as: world.c, of: world.a), [world.draft, world.withC])
        XCTAssertEqual(try conventions(as: world.d, of: world.a), [], "D shares nothing with A")
        XCTAssertEqual(try conventions(as: world.a, of: world.c), [world.draft, world.withC], "not C's convention with B")
        XCTAssertEqual(try conventions(as: world.c, of: world.b), [world.betweenBC])
        // What it sees carries the same figures as an admin sees.
        let b = world.live.client(token: try world.live.token(role: "partner", partnerID: world.b))
        XCTAssertEqual(try standing(b, world.a), [item(world.shared, overdue: 25_000, obligations: 1, notices: 1, defaulting: true)])
        // Readers see everything; an unknown partner is 404 to a partner key too.
        let reader = world.live.client(token: try world.live.token(role: "reader"))
        XCTAssertEqual(try standing(reader, world.a).count, 3)
        XCTAssertEqual(try b.get("/v1/partners/prt_does_not_exist/standing").status, 404)
        XCTAssertEqual(try world.live.anonymous().get("/v1/partners/\(world.a)/standing").status, 401)
    }
}

/// Partners A, B, C, D; the clock starts at 2030-01-10T12:00:00Z.
/// - `shared` (A, B), in force: A pledges 100 000 (40 000 on 2030-02-01,
///   60 000 on 2030-03-01), 15 000 delivered; B pledges 50 000 on
///   2030-02-01. Obligations due 2030-02-10: A's late one, A's fulfilled
///   one, B's; A's due 2030-05-01. Notices to A: 10 days and 60 days.
/// - `draft` (A, C), a draft whose schedule is long past; an obligation of A due 2030-02-01.
/// - `betweenBC` (B, C), in force.
/// - `withC` (A, C), in force, a notice of 100 days to A and one to C.
private struct StandingWorld {
    let live: LiveServer
    let api: APIClient
    let a: String, b: String, c: String, d: String
    let shared: String, draft: String, betweenBC: String, withC: String
    let contributionA: String
    let lateObligationA: String

    init() throws {
        let live = try LiveServer()
        live.setClock("2030-01-10T12:00:00Z")
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("Musée A")
        let b = try fx.partner("Théâtre B")
        let c = try fx.partner("Ville C", kind: "local_authority")
        let d = try fx.partner("Fondation D", kind: "foundation")
        let project = try fx.project()

        let shared = try Self.convention(api, project, [(a, 100_000, [("2030-02-01", 40_000), ("2030-03-01", 60_000)]),
                                                        (b, 50_000, [("2030-02-01", 50_000)])])
        try fx.bringIntoForce(shared, parties: [a, b])
        let draft = try Self.convention(api, project, [(a, 10_000, [("2029-12-01", 10_000)]), (c, 10_000, [])])
        let betweenBC = try fx.convention(project: project, parties: [(b, 100), (c, 100)])
        try fx.bringIntoForce(betweenBC, parties: [b, c])
        let withC = try fx.convention(project: project, parties: [(a, 100), (c, 100)])
        try fx.bringIntoForce(withC, parties: [a, c])

        let conventionJSON = try api.get("/v1/conventions/\(shared)").json
        guard let contribution = conventionJSON?["parties"]?.arrayValue?.first(where: { $0["partner_id"] == .string(a) })?["contributions"]?.arrayValue?.first?["id"]?.stringValue
        else { throw TestFailure("no contribution of A") }
        try Self.expect(api.patch("/v1/conventions/\(shared)/contributions/\(contribution)", ["delivered_cents": 15_000]), 200)

        let late = try Self.obligation(api, shared, a, "2030-02-10")
        let fulfilled = try Self.obligation(api, shared, a, "2030-02-10")
        try Self.expect(api.post("/v1/obligations/\(fulfilled)/fulfilment", [:]), 200)
        _ = try Self.obligation(api, shared, b, "2030-02-10")
        _ = try Self.obligation(api, shared, a, "2030-05-01")
        _ = try Self.obligation(api, draft, a, "2030-02-01")

        for (convention, partner, days) in [(shared, a, 10), (shared, a, 60), (withC, a, 100), (withC, c, 100)] {
            try Self.expect(api.post("/v1/conventions/\(convention)/parties/\(partner)/breach-notices",
                                     ["reason": "Manquement", "cure_days": .int(Int64(days))]), 201)
        }
        (self.live, self.api, self.a, self.b, self.c, self.d) = (live, api, a, b, c, d)
        (self.shared, self.draft, self.betweenBC, self.withC) = (shared, draft, betweenBC, withC)
        (self.contributionA, self.lateObligationA) = (contribution, late)
    }

    private static func expect(_ response: APIResponse, _ status: Int) throws {
        guard response.status == status else { throw TestFailure("expected \(status): \(response.status) \(response.text)") }
    }

    private static func convention(_ api: APIClient, _ project: String, _ parties: [(String, Int64, [(String, Int64)])]) throws -> String {
        let body: JSON = ["project_id": .string(project), "title": "Convention", "parties": .array(parties.map { party in
            ["partner_id": .string(party.0), "contributions": [[
                "kind": "financial", "description": "Apport", "value_cents": .int(party.1),
                "instalments": .array(party.2.map { ["due_on": .string($0.0), "value_cents": .int($0.1)] }),
            ]]]
        })]
        let response = try api.post("/v1/conventions", body)
        guard response.status == 201, let id = response.json?["id"]?.stringValue else { throw TestFailure("convention: \(response.status) \(response.text)") }
        return id
    }

    private static func obligation(_ api: APIClient, _ convention: String, _ partner: String, _ dueOn: String) throws -> String {
        let response = try api.post("/v1/conventions/\(convention)/obligations",
                                    ["partner_id": .string(partner), "title": "Rapport", "kind": "report", "due_on": .string(dueOn)])
        guard response.status == 201, let id = response.json?["id"]?.stringValue else { throw TestFailure("obligation: \(response.status) \(response.text)") }
        return id
    }
}

private func item(_ convention: String, overdue: Int64, obligations: Int64, notices: Int64, defaulting: Bool) -> JSON {
    ["convention_id": .string(convention), "overdue_cents": .int(overdue), "overdue_obligations": .int(obligations),
     "open_notices": .int(notices), "defaulting": .bool(defaulting)]
}

private func standing(_ client: APIClient, _ partner: String, line: UInt = #line) throws -> [JSON] {
    let response = try client.get("/v1/partners/\(partner)/standing")
    guard response.status == 200, let items = response.json?["items"]?.arrayValue else {
        throw TestFailure("standing (line \(line)): \(response.status) \(response.text)")
    }
    return items
}
