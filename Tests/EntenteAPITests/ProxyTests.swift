import Foundation
import XCTest
import JSON

/// Proxies (API.md §13): who may give one to whom, votes cast by the holder
/// for its grantors, what a default does to them, and the bloc game they make.
final class ProxyTests: XCTestCase {

    func testGrantChangeAndRevoke() throws {
        let world = try MeetingWorld()
        let id = try world.meeting(startsAt: "2030-03-10T14:00:00Z")
        let granted = try world.api.put("/v1/meetings/\(id)/proxies/\(world.c)", ["holder_partner_id": .string(world.a)])
        XCTAssertEqual(granted.status, 201, granted.text)
        XCTAssertEqual(granted.json?["proxies"], [["grantor_partner_id": .string(world.c), "holder_partner_id": .string(world.a),
                                                   "granted_at": "2030-03-01T09:00:00Z"]])
        let changed = try world.api.put("/v1/meetings/\(id)/proxies/\(world.c)", ["holder_partner_id": .string(world.b)])
        XCTAssertEqual(changed.status, 200, changed.text)
        XCTAssertEqual(changed.json?["proxies"]?.arrayValue?.map { $0["holder_partner_id"] }, [.string(world.b)])
        let revoked = try world.api.delete("/v1/meetings/\(id)/proxies/\(world.c)", headers: [("If-Match", "\"3\"")])
        XCTAssertEqual(revoked.status, 204, revoked.text)
        XCTAssertEqual(revoked.body, [])
        let after = try world.api.get("/v1/meetings/\(id)")
        XCTAssertEqual(after.json?["proxies"], [])
        XCTAssertEqual(after.json?["version"], 4)
        XCTAssertEqual(try world.api.delete("/v1/meetings/\(id)/proxies/\(world.c)").status, 404, "nothing left to revoke")
        XCTAssertEqual(try world.live.events("proxy.granted").count, 2)
        XCTAssertEqual(try world.live.events("proxy.revoked").count, 1)
    }

    /// Each rule of §13, one refusal at a time, and nothing changes.
    func testRefusals() throws {
        let world = try MeetingWorld(governance: ["voting": "equal", "max_proxies_per_holder": 1])
        let id = try world.meeting(startsAt: "2030-03-10T14:00:00Z")
        XCTAssertEqual(try world.api.put("/v1/meetings/\(id)/proxies/\(world.c)", ["holder_partner_id": .string(world.a)]).status, 201)
        let cases: [(grantor: String, holder: String, why: String)] = [
            (world.outsider, world.a, "the grantor is not a party"),
            (world.b, world.outsider, "the holder is not a party"),
            (world.b, world.b, "a party does not hold its own proxy"),
            (world.a, world.b, "a holder cannot grant (no chains)"),
            (world.b, world.c, "a grantor cannot hold (no chains)"),
            (world.b, world.a, "A already holds max_proxies_per_holder = 1"),
        ]
        let before = try world.api.get("/v1/meetings/\(id)")
        for (grantor, holder, why) in cases {
            let response = try world.api.put("/v1/meetings/\(id)/proxies/\(grantor)", ["holder_partner_id": .string(holder)])
            XCTAssertEqual(response.status, 409, "\(why): \(response.text)")
        }
        XCTAssertEqual(try world.api.get("/v1/meetings/\(id)").json, before.json, "refusals change nothing")
        XCTAssertEqual(try world.api.put("/v1/meetings/\(id)/proxies/\(world.b)", [:]).status, 422, "holder_partner_id is required")
        XCTAssertEqual(try world.api.put("/v1/meetings/\(id)/proxies/\(world.b)", ["holder_partner_id": .string(world.a), "until": "x"]).status, 422)

        // A defaulting party neither gives nor holds one.
        XCTAssertEqual(try world.api.post("/v1/conventions/\(world.convention)/parties/\(world.b)/default", ["reason": "Apport non versé"]).status, 200)
        XCTAssertEqual(try world.api.put("/v1/meetings/\(id)/proxies/\(world.b)", ["holder_partner_id": .string(world.c)]).status, 409)
        XCTAssertEqual(try world.api.delete("/v1/meetings/\(id)/proxies/\(world.c)").status, 204)
        XCTAssertEqual(try world.api.put("/v1/meetings/\(id)/proxies/\(world.c)", ["holder_partner_id": .string(world.b)]).status, 409)

        // A partner key grants and revokes for its own partner only.
        let keyA = world.live.client(token: world.tokenA), keyC = world.live.client(token: world.tokenC)
        XCTAssertEqual(try keyA.put("/v1/meetings/\(id)/proxies/\(world.c)", ["holder_partner_id": .string(world.a)]).status, 403)
        XCTAssertEqual(try keyC.put("/v1/meetings/\(id)/proxies/\(world.c)", ["holder_partner_id": .string(world.a)]).status, 201)
        XCTAssertEqual(try keyA.delete("/v1/meetings/\(id)/proxies/\(world.c)").status, 403)

        // No proxies on a cancelled meeting.
        XCTAssertEqual(try world.api.post("/v1/meetings/\(id)/cancel").status, 200)
        XCTAssertEqual(try world.api.put("/v1/meetings/\(id)/proxies/\(world.a)", ["holder_partner_id": .string(world.c)]).status, 409)
    }

    func testMaxProxiesPerHolderZeroAllowsNone() throws {
        let world = try MeetingWorld(governance: ["voting": "equal", "max_proxies_per_holder": 0])
        let id = try world.meeting(startsAt: "2030-03-10T14:00:00Z")
        XCTAssertEqual(try world.api.put("/v1/meetings/\(id)/proxies/\(world.c)", ["holder_partner_id": .string(world.a)]).status, 409)
    }

    func testMaxProxiesPerHolderTwo() throws {
        let world = try MeetingWorld(governance: ["voting": "equal", "max_proxies_per_holder": 2])
        let id = try world.meeting(startsAt: "2030-03-10T14:00:00Z")
        XCTAssertEqual(try world.api.put("/v1/meetings/\(id)/proxies/\(world.c)", ["holder_partner_id": .string(world.a)]).status, 201)
        XCTAssertEqual(try world.api.put("/v1/meetings/\(id)/proxies/\(world.b)", ["holder_partner_id": .string(world.a)]).status, 201)
        // Moving an existing proxy to the same holder does not count it twice.
        XCTAssertEqual(try world.api.put("/v1/meetings/\(id)/proxies/\(world.b)", ["holder_partner_id": .string(world.a)]).status, 200)
    }

    // MARK: - Votes by proxy

    func testHolderVotesForItsGrantor() throws {
        let world = try MeetingWorld()
        let meeting = try world.meeting(startsAt: "2030-03-10T14:00:00Z")
        let decision = try world.meetingDecision(meeting)
        XCTAssertEqual(try world.api.put("/v1/meetings/\(meeting)/proxies/\(world.c)", ["holder_partner_id": .string(world.a)]).status, 201)
        let keyA = world.live.client(token: world.tokenA), keyB = world.live.client(token: world.tokenB)

        let own = try keyA.post("/v1/decisions/\(decision)/votes", ["partner_id": .string(world.a), "choice": "yes"])
        XCTAssertEqual(own.status, 201, own.text)
        let forGrantor = try keyA.post("/v1/decisions/\(decision)/votes", ["partner_id": .string(world.c), "choice": "yes"])
        XCTAssertEqual(forGrantor.status, 201, forGrantor.text)
        let votes = try XCTUnwrap(forGrantor.json?["votes"]?.arrayValue)
        XCTAssertEqual(votes.map { $0["by_proxy"] }, [.null, .string(world.a)])
        XCTAssertEqual(votes.map { $0["partner_id"] }, [.string(world.a), .string(world.c)])

        // B holds no proxy for C, and A none for B.
        XCTAssertEqual(try keyB.post("/v1/decisions/\(decision)/votes", ["partner_id": .string(world.c), "choice": "no"]).status, 403)
        XCTAssertEqual(try keyA.post("/v1/decisions/\(decision)/votes", ["partner_id": .string(world.b), "choice": "no"]).status, 403)
        // An editor recording the vote of a represented party records it as the holder's.
        let recorded = try world.api.post("/v1/decisions/\(decision)/votes", ["partner_id": .string(world.c), "choice": "no"])
        XCTAssertEqual(recorded.status, 200, recorded.text)
        XCTAssertEqual(recorded.json?["votes"]?.arrayValue?.last?["by_proxy"], .string(world.a))
        // The grantor's own key still votes itself.
        let itself = try world.live.client(token: world.tokenC).post("/v1/decisions/\(decision)/votes", ["partner_id": .string(world.c), "choice": "abstain"])
        XCTAssertEqual(itself.status, 200, itself.text)
        XCTAssertEqual(itself.json?["votes"]?.arrayValue?.last?["by_proxy"], .null)
        let proxyVotes = try world.live.events("decision.voted").compactMap { $0["data"]?["changes"]?["by_proxy"]?.stringValue }
        XCTAssertEqual(proxyVotes, [world.a, world.a])

        // Proxies of a meeting do not reach decisions outside it.
        XCTAssertEqual(try keyA.post("/v1/decisions/\(world.openDecision)/votes", ["partner_id": .string(world.c), "choice": "yes"]).status, 403)
        // A revoked proxy no longer lets the holder vote.
        XCTAssertEqual(try world.api.delete("/v1/meetings/\(meeting)/proxies/\(world.c)").status, 204)
        XCTAssertEqual(try keyA.post("/v1/decisions/\(decision)/votes", ["partner_id": .string(world.c), "choice": "yes"]).status, 403)
    }

    /// A decision opened on its own and then put on a meeting's agenda is a
    /// decision of that meeting: the proxies given for it carry votes on it.
    func testAnAgendaItemNamingADecisionMakesItTheMeetingsDecision() throws {
        let world = try MeetingWorld()
        let before = try world.api.get("/v1/decisions/\(world.openDecision)")
        XCTAssertEqual(before.json?["meeting_id"], .null)
        let meeting = try world.meeting(startsAt: "2030-03-10T14:00:00Z", body: [
            "agenda": [["title": "Budget", "decision_id": .string(world.openDecision)]],
        ])
        let after = try world.api.get("/v1/decisions/\(world.openDecision)")
        XCTAssertEqual(after.json?["meeting_id"], .string(meeting))
        XCTAssertEqual(after.json?["version"], .int((before.json?["version"]?.intValue ?? 0) + 1), "a change of the decision")
        XCTAssertEqual(try world.api.put("/v1/meetings/\(meeting)/proxies/\(world.c)", ["holder_partner_id": .string(world.a)]).status, 201)
        let forGrantor = try world.live.client(token: world.tokenA).post("/v1/decisions/\(world.openDecision)/votes",
                                                                         ["partner_id": .string(world.c), "choice": "yes"])
        XCTAssertEqual(forGrantor.status, 201, forGrantor.text)
        XCTAssertEqual(forGrantor.json?["votes"]?.arrayValue?.last?["by_proxy"], .string(world.a))

        // A later meeting that names it again does not take it over.
        let later = try world.meeting(startsAt: "2030-04-10T14:00:00Z", body: [
            "agenda": [["title": "Budget (suite)", "decision_id": .string(world.openDecision)]],
        ])
        XCTAssertNotEqual(later, meeting)
        XCTAssertEqual(try world.api.get("/v1/decisions/\(world.openDecision)").json?["meeting_id"], .string(meeting))
    }

    /// A party that starts defaulting loses the proxies it gave or holds for
    /// meetings not yet held; held meetings keep their record.
    func testDefaultingLosesProxiesOfMeetingsNotYetHeld() throws {
        let world = try MeetingWorld(governance: ["voting": "equal", "max_proxies_per_holder": 2])
        let past = try world.meeting(startsAt: "2030-03-02T09:00:00Z")
        let next = try world.meeting(startsAt: "2030-04-02T09:00:00Z")
        let other = try world.meeting(startsAt: "2030-05-02T09:00:00Z")
        XCTAssertEqual(try world.api.put("/v1/meetings/\(past)/proxies/\(world.c)", ["holder_partner_id": .string(world.a)]).status, 201)
        XCTAssertEqual(try world.api.put("/v1/meetings/\(next)/proxies/\(world.c)", ["holder_partner_id": .string(world.a)]).status, 201)
        XCTAssertEqual(try world.api.put("/v1/meetings/\(other)/proxies/\(world.b)", ["holder_partner_id": .string(world.c)]).status, 201)
        world.live.setClock("2030-03-02T09:00:00Z")
        XCTAssertEqual(try world.api.post("/v1/meetings/\(past)/hold").status, 200)

        XCTAssertEqual(try world.api.post("/v1/conventions/\(world.convention)/parties/\(world.c)/default", ["reason": "Rapport non remis"]).status, 200)
        XCTAssertEqual(try world.api.get("/v1/meetings/\(next)").json?["proxies"], [], "C gave it")
        XCTAssertEqual(try world.api.get("/v1/meetings/\(other)").json?["proxies"], [], "C held it")
        XCTAssertEqual(try world.api.get("/v1/meetings/\(past)").json?["proxies"]?.arrayValue?.count, 1, "a held meeting keeps its record")
        let revoked = try world.live.events("proxy.revoked")
        XCTAssertEqual(revoked.count, 2)
        XCTAssertEqual(Set(revoked.compactMap { $0["data"]?["changes"]?["reason"]?.stringValue }), ["defaulting"])
    }

    /// A breach notice that lapses makes its party defaulting at once: its
    /// proxies read as gone, then the job records the loss.
    func testLapsedNoticeVoidsProxiesAtOnce() throws {
        let world = try MeetingWorld()
        let meeting = try world.meeting(startsAt: "2030-04-02T09:00:00Z")
        XCTAssertEqual(try world.api.put("/v1/meetings/\(meeting)/proxies/\(world.c)", ["holder_partner_id": .string(world.a)]).status, 201)
        let notice = try world.api.post("/v1/conventions/\(world.convention)/parties/\(world.c)/breach-notices", ["reason": "Retard", "cure_days": 10])
        XCTAssertEqual(notice.status, 201, notice.text)
        world.live.setClock("2030-03-11T09:00:01Z")
        XCTAssertEqual(try world.api.get("/v1/meetings/\(meeting)").json?["proxies"], [])
        let rights = try world.api.get("/v1/meetings/\(meeting)/decision-rights")
        XCTAssertEqual(rights.json?["blocs"]?.arrayValue?.count, 2, "C defaults: A and B vote alone")
        XCTAssertEqual(try world.live.events("proxy.revoked").count, 1, "reading the feed records the lapse and the lost proxy")
    }

    // MARK: - Decision rights of a meeting

    /// The EEC Council of 1958 (4, 4, 4, 2, 2, 1, majority 70): Luxembourg is
    /// a dummy. Holding Italy's proxy, it becomes pivotal.
    func testDecisionRightsWithBlocs() throws {
        let live = try LiveServer()
        live.setClock("2030-03-01T09:00:00Z")
        let api = live.client()
        let fx = Fixtures(client: api)
        let names = ["France", "Germany", "Italy", "Belgium", "Netherlands", "Luxembourg"]
        let ids = try names.map { try fx.partner($0) }
        let convention = try fx.convention(project: try fx.project(), parties: Array(zip(ids, [4, 4, 4, 2, 2, 1].map(Int64.init))),
                                           governance: ["voting": "proportional", "majority": 70])
        try fx.bringIntoForce(convention, parties: ids)
        let meeting = try api.post("/v1/conventions/\(convention)/meetings", ["title": "Conseil", "starts_at": "2030-03-10T10:00:00Z"])
        let meetingID = try XCTUnwrap(meeting.json?["id"]?.stringValue)

        // Without proxies: the convention's answer, each party its own bloc.
        let plain = try XCTUnwrap(try api.get("/v1/meetings/\(meetingID)/decision-rights").json)
        let conventionRights = try XCTUnwrap(try api.get("/v1/conventions/\(convention)/decision-rights").json)
        XCTAssertEqual(plain["meeting_id"], .string(meetingID))
        XCTAssertEqual(plain["convention_id"], .string(convention))
        XCTAssertEqual(plain["method"], "exact")
        XCTAssertEqual(plain["partners"]?.arrayValue?.map { $0["banzhaf"] }, conventionRights["partners"]?.arrayValue?.map { $0["banzhaf"] })
        XCTAssertEqual(plain["partners"]?.arrayValue?[5]["dummy"], true)
        XCTAssertEqual(plain["blocs"]?.arrayValue?.count, 6)

        // Italy gives its proxy to Luxembourg.
        XCTAssertEqual(try api.put("/v1/meetings/\(meetingID)/proxies/\(ids[2])", ["holder_partner_id": .string(ids[5])]).status, 201)
        let rights = try XCTUnwrap(try api.get("/v1/meetings/\(meetingID)/decision-rights").json)
        let partners = try XCTUnwrap(rights["partners"]?.arrayValue)
        let blocs = try XCTUnwrap(rights["blocs"]?.arrayValue)
        XCTAssertEqual(blocs.map { $0["holder_partner_id"] }, [ids[0], ids[1], ids[3], ids[4], ids[5]].map(JSON.string))
        XCTAssertEqual(blocs[4]["partner_ids"], [.string(ids[5]), .string(ids[2])])
        XCTAssertEqual(try XCTUnwrap(blocs[4]["weight"]?.doubleValue), 5.0 / 17, accuracy: 1e-12)
        XCTAssertEqual(partners[2]["proxy_holder_partner_id"], .string(ids[5]))
        XCTAssertEqual(partners[2]["banzhaf"]?.doubleValue, 0, "the grantor's vote is the holder's to cast")
        XCTAssertEqual(partners[2]["dummy"], true)
        XCTAssertEqual(partners[5]["banzhaf"], blocs[4]["banzhaf"])
        XCTAssertEqual(partners[5]["dummy"], false, "the dummy is pivotal now")
        XCTAssertEqual(partners[0]["proxy_holder_partner_id"], .null)
        XCTAssertEqual(try XCTUnwrap(partners[5]["weight"]?.doubleValue), 1.0 / 17, accuracy: 1e-12, "its own share is unchanged")
        // Blocs of 4, 4, 2, 2, 5 with quota 12 of 17, counted by hand:
        // Banzhaf swings 5, 5, 3, 3, 5 → total 21.
        let expected = [5.0, 5, 3, 3, 5].map { $0 / 21 }
        for (bloc, value) in zip(blocs, expected) {
            XCTAssertEqual(try XCTUnwrap(bloc["banzhaf"]?.doubleValue), value, accuracy: 1e-12)
        }
        XCTAssertEqual(blocs.compactMap { $0["banzhaf"]?.doubleValue }.reduce(0, +), 1, accuracy: 1e-9)
        XCTAssertEqual(blocs.compactMap { $0["shapley_shubik"]?.doubleValue }.reduce(0, +), 1, accuracy: 1e-9)
    }

    /// A party with a veto in fact (half the weight under a simple majority)
    /// that gives its proxy hands its veto to the holder's bloc.
    func testProxyMovesAVetoInFact() throws {
        let world = try MeetingWorld(governance: ["voting": "proportional", "majority": "simple"], pledges: [50, 25, 25])
        let meeting = try world.meeting(startsAt: "2030-03-10T14:00:00Z")
        let before = try XCTUnwrap(try world.api.get("/v1/meetings/\(meeting)/decision-rights").json?["partners"]?.arrayValue)
        XCTAssertEqual(before.map { $0["veto"] }, [true, false, false])
        XCTAssertEqual(try world.api.put("/v1/meetings/\(meeting)/proxies/\(world.a)", ["holder_partner_id": .string(world.b)]).status, 201)
        let after = try XCTUnwrap(try world.api.get("/v1/meetings/\(meeting)/decision-rights").json)
        XCTAssertEqual(after["partners"]?.arrayValue?.map { $0["veto"] }, [false, true, false])
        XCTAssertEqual(after["partners"]?.arrayValue?.map { $0["banzhaf"]?.doubleValue }, [0, 1, 0], "the A+B bloc alone decides")
    }
}
