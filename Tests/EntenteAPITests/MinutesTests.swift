import Foundation
import XCTest
import JSON

/// Minutes (API.md §13): drafted after the meeting is held, published, open to
/// objections until the deadline, approved when none came.
final class MinutesTests: XCTestCase {

    /// A held meeting on 2030-03-02 at 09:00 (the clock stays there).
    private func heldMeeting(_ world: MeetingWorld) throws -> String {
        let id = try world.meeting(startsAt: "2030-03-02T09:00:00Z")
        world.live.setClock("2030-03-02T09:00:00Z")
        let held = try world.api.post("/v1/meetings/\(id)/hold")
        guard held.status == 200 else { throw TestFailure("hold: \(held.status) \(held.text)") }
        return id
    }

    func testDraftPublishAndApproveAfterTheDeadline() throws {
        let world = try MeetingWorld()
        let scheduled = try world.meeting(startsAt: "2030-03-20T09:00:00Z")
        XCTAssertEqual(try world.api.put("/v1/meetings/\(scheduled)/minutes", ["text": "x"]).status, 409, "only a held meeting has minutes")
        let id = try heldMeeting(world)

        let draft = try world.api.put("/v1/meetings/\(id)/minutes", ["text": "Présents : A, B.\nOrdre du jour adopté."])
        XCTAssertEqual(draft.status, 201, draft.text)
        XCTAssertEqual(draft.json?["minutes"], ["text": "Présents : A, B.\nOrdre du jour adopté.", "status": "draft", "published_at": nil,
                                                "objection_deadline": nil, "objections": []])
        let rewritten = try world.api.put("/v1/meetings/\(id)/minutes", ["text": "Présents : A, B, C."])
        XCTAssertEqual(rewritten.status, 200, rewritten.text)
        XCTAssertEqual(try world.api.put("/v1/meetings/\(id)/minutes", [:]).status, 422, "text is required")
        XCTAssertEqual(try world.api.post("/v1/meetings/\(id)/minutes/objections", ["partner_id": .string(world.a), "reason": "x"]).status, 409,
                       "no objection to a draft")

        world.live.setClock("2030-03-03T10:00:00Z")
        let published = try world.api.post("/v1/meetings/\(id)/minutes/publish")
        XCTAssertEqual(published.status, 200, published.text)
        XCTAssertEqual(published.json?["minutes"]?["status"], "published")
        XCTAssertEqual(published.json?["minutes"]?["published_at"], "2030-03-03T10:00:00Z")
        XCTAssertEqual(published.json?["minutes"]?["objection_deadline"], "2030-03-18T10:00:00Z", "minutes_objection_days defaults to 15")
        XCTAssertEqual(try world.api.post("/v1/meetings/\(id)/minutes/publish").status, 409)
        XCTAssertEqual(try world.api.put("/v1/meetings/\(id)/minutes", ["text": "y"]).status, 409, "published minutes stay as published")

        world.live.setClock("2030-03-18T09:59:59Z")
        XCTAssertEqual(try world.api.get("/v1/meetings/\(id)").json?["minutes"]?["status"], "published")
        world.live.setClock("2030-03-18T10:00:00Z")
        XCTAssertEqual(try world.api.get("/v1/meetings/\(id)").json?["minutes"]?["status"], "approved", "read as approved at the deadline")
        let late = try world.api.post("/v1/meetings/\(id)/minutes/objections", ["partner_id": .string(world.a), "reason": "Trop tard"])
        XCTAssertEqual(late.status, 409, late.text)
        // The feed records the approval once.
        let approved = try world.live.events("minutes.approved")
        XCTAssertEqual(approved.count, 1)
        XCTAssertEqual(approved.first?["data"]?["entity_id"], .string(id))
        XCTAssertEqual(try world.live.events("minutes.approved").count, 1)
        XCTAssertEqual(try world.api.get("/v1/meetings/\(id)").json?["minutes"]?["status"], "approved")
        XCTAssertEqual(try world.live.events("minutes.published").count, 1)
    }

    func testObjectionsBeforeTheDeadline() throws {
        let world = try MeetingWorld(governance: ["voting": "equal", "minutes_objection_days": 3])
        let id = try heldMeeting(world)
        XCTAssertEqual(try world.api.put("/v1/meetings/\(id)/minutes", ["text": "Compte rendu"]).status, 201)
        XCTAssertEqual(try world.api.post("/v1/meetings/\(id)/minutes/publish").json?["minutes"]?["objection_deadline"], "2030-03-05T09:00:00Z")

        let keyA = world.live.client(token: world.tokenA)
        XCTAssertEqual(try keyA.post("/v1/meetings/\(id)/minutes/objections", ["partner_id": .string(world.b), "reason": "x"]).status, 403,
                       "a partner key objects for its own partner")
        XCTAssertEqual(try world.api.post("/v1/meetings/\(id)/minutes/objections", ["partner_id": .string(world.outsider), "reason": "x"]).status, 409,
                       "a non-party does not object")
        XCTAssertEqual(try keyA.post("/v1/meetings/\(id)/minutes/objections", ["partner_id": .string(world.a)]).status, 422, "reason is required")

        world.live.setClock("2030-03-05T08:59:59Z")
        let objected = try keyA.post("/v1/meetings/\(id)/minutes/objections", ["partner_id": .string(world.a), "reason": "Le vote sur le budget est mal rapporté."])
        XCTAssertEqual(objected.status, 201, objected.text)
        XCTAssertEqual(objected.json?["minutes"]?["status"], "objected")
        XCTAssertEqual(objected.json?["minutes"]?["objections"], [["partner_id": .string(world.a), "reason": "Le vote sur le budget est mal rapporté.",
                                                                   "at": "2030-03-05T08:59:59Z"]])
        let second = try world.api.post("/v1/meetings/\(id)/minutes/objections", ["partner_id": .string(world.b), "reason": "Idem"])
        XCTAssertEqual(second.status, 201, second.text)
        XCTAssertEqual(second.json?["minutes"]?["objections"]?.arrayValue?.count, 2)

        // Further objections end at the deadline too.
        world.live.setClock("2030-03-05T09:00:00Z")
        XCTAssertEqual(try world.api.post("/v1/meetings/\(id)/minutes/objections", ["partner_id": .string(world.c), "reason": "Tard"]).status, 409)
        // Objected minutes are never approved.
        world.live.setClock("2030-04-01T00:00:00Z")
        XCTAssertEqual(try world.api.get("/v1/meetings/\(id)").json?["minutes"]?["status"], "objected")
        XCTAssertEqual(try world.live.events("minutes.objected").count, 2)
        XCTAssertEqual(try world.live.events("minutes.approved").count, 0)
    }

    /// With `minutes_objection_days` 0 the deadline is the publication itself.
    func testZeroObjectionDays() throws {
        let world = try MeetingWorld(governance: ["voting": "equal", "minutes_objection_days": 0])
        let id = try heldMeeting(world)
        XCTAssertEqual(try world.api.put("/v1/meetings/\(id)/minutes", ["text": "Compte rendu"]).status, 201)
        let published = try world.api.post("/v1/meetings/\(id)/minutes/publish")
        XCTAssertEqual(published.json?["minutes"]?["status"], "approved")
        XCTAssertEqual(try world.api.post("/v1/meetings/\(id)/minutes/objections", ["partner_id": .string(world.a), "reason": "x"]).status, 409)
    }
}
