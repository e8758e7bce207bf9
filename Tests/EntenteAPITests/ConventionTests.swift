import Foundation
import XCTest
import JSON

/// Conventions (API.md §5): validation, the lifecycle from draft to
/// termination, amendments and revisions, list filters, CSV, partner scope
/// and concurrent writes.
final class ConventionTests: XCTestCase {

    // MARK: - Validation

    func testCreateValidation() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("Musée A"), b = try fx.partner("Théâtre B")
        let project = try fx.project()

        func expect422(_ body: JSON, field: String, line: UInt = #line) throws {
            let response = try api.post("/v1/conventions", body)
            XCTAssertEqual(response.status, 422, response.text, line: line)
            XCTAssertEqual(response.code, "validation_failed", line: line)
            XCTAssertEqual(response.header("Content-Type"), "application/problem+json", line: line)
            XCTAssertTrue(response.errorFields.contains(field), "expected field \(field) in \(response.errorFields)", line: line)
        }

        // Fewer than two parties.
        try expect422(conventionBody(project: project, parties: [party(a, 1000)]), field: "parties")
        try expect422(conventionBody(project: project, parties: []), field: "parties")
        // The same party twice.
        try expect422(conventionBody(project: project, parties: [party(a, 1000), party(a, 2000)]), field: "parties[1].partner_id")
        // An unknown partner.
        try expect422(conventionBody(project: project, parties: [party(a, 1000), party("prt_does_not_exist", 2000)]), field: "parties[1].partner_id")
        // An unknown project.
        try expect422(conventionBody(project: "prj_does_not_exist", parties: [party(a, 1000), party(b, 2000)]), field: "project_id")
        // A bad contribution kind.
        try expect422(conventionBody(project: project, parties: [party(a, 1000, kind: "gift"), party(b, 2000)]), field: "parties[0].contributions[0].kind")
        // A negative pledge.
        try expect422(conventionBody(project: project, parties: [party(a, 1000), party(b, -1)]), field: "parties[1].contributions[0].value_cents")
        // A bad dispute resolution method.
        try expect422(conventionBody(project: project, parties: [party(a, 1000), party(b, 2000)],
                                     extra: ["dispute_resolution": ["method": "duel"]]), field: "dispute_resolution.method")
        // effective_until before effective_from.
        try expect422(conventionBody(project: project, parties: [party(a, 1000), party(b, 2000)],
                                     extra: ["effective_from": "2026-06-01", "effective_until": "2026-05-31"]), field: "effective_until")
        // An unknown field.
        try expect422(conventionBody(project: project, parties: [party(a, 1000), party(b, 2000)], extra: ["colour": "blue"]), field: "colour")

        XCTAssertEqual(try live.count("conventions"), 0, "no refused convention may be stored")

        // The same dates are fine, and the defaults are filled in.
        let ok = try api.post("/v1/conventions", conventionBody(project: project, parties: [party(a, 1000), party(b, 2000)],
                                                                  extra: ["effective_from": "2030-06-01", "effective_until": "2030-06-01"]))
        XCTAssertEqual(ok.status, 201, ok.text)
        let id = try XCTUnwrap(ok.json?["id"]?.stringValue)
        XCTAssertEqual(ok.header("Location"), "/v1/conventions/\(id)")
        XCTAssertEqual(ok.header("ETag"), "\"1\"")
        XCTAssertEqual(ok.json?["status"], "draft")
        XCTAssertEqual(ok.json?["currency"], "EUR")
        XCTAssertEqual(ok.json?["revision"], 0)
        XCTAssertEqual(ok.json?["version"], 1)
        XCTAssertEqual(ok.json?["expired"], false)
        XCTAssertEqual(ok.json?["signed_at"] ?? .null, .null)
        XCTAssertEqual(partyEntry(ok.json, b)?["contribution_cents"], 2000)
        XCTAssertEqual(partyEntry(ok.json, b)?["delivered_cents"], 0)
        XCTAssertEqual(try live.count("conventions"), 1)
    }

    // MARK: - The whole lifecycle

    func testLifecycleFromDraftToTermination() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("Musée A"), b = try fx.partner("Théâtre B"), c = try fx.partner("Fondation C")
        let project = try fx.project()

        let created = try api.post("/v1/conventions", conventionBody(project: project, parties: [party(a, 100_000), party(b, 50_000)],
                                                                       extra: ["effective_from": "2026-01-01", "effective_until": "2029-12-31"]))
        XCTAssertEqual(created.status, 201, created.text)
        let id = try XCTUnwrap(created.json?["id"]?.stringValue)
        let path = "/v1/conventions/\(id)"
        let contributionA = try XCTUnwrap(partyEntry(created.json, a)?["contributions"]?.arrayValue?.first?["id"]?.stringValue)

        // Deliveries are refused on a draft.
        let draftDelivery = try api.patch("\(path)/contributions/\(contributionA)", ["delivered_cents": 10])
        XCTAssertEqual(draftDelivery.status, 409, draftDelivery.text)
        XCTAssertEqual(draftDelivery.code, "invalid_transition")

        // Amendments are refused on a draft.
        let draftAmendment = try api.post("\(path)/amendments", ["summary": "Too early", "changes": ["title": "Nope"]])
        XCTAssertEqual(draftAmendment.status, 409, draftAmendment.text)
        XCTAssertEqual(draftAmendment.code, "invalid_transition")

        // Signing a draft.
        let draftSignature = try api.post("\(path)/signatures", ["partner_id": .string(a), "signatory": "Alice"])
        XCTAssertEqual(draftSignature.status, 409, draftSignature.text)

        // PATCH in draft.
        let patched = try api.patch(path, ["title": "Convention cadre 2026"])
        XCTAssertEqual(patched.status, 200, patched.text)
        XCTAssertEqual(patched.json?["title"], "Convention cadre 2026")
        XCTAssertEqual(patched.json?["version"], 2)
        XCTAssertEqual(patched.header("ETag"), "\"2\"")

        // Submit.
        let submitted = try api.post("\(path)/submit")
        XCTAssertEqual(submitted.status, 200, submitted.text)
        XCTAssertEqual(submitted.json?["status"], "awaiting_signatures")
        XCTAssertEqual(submitted.json?["version"], 3)
        let submitAgain = try api.post("\(path)/submit")
        XCTAssertEqual(submitAgain.status, 409, submitAgain.text)
        XCTAssertEqual(submitAgain.code, "invalid_transition")

        // PATCH is now refused.
        let latePatch = try api.patch(path, ["title": "Changed after submission"])
        XCTAssertEqual(latePatch.status, 409, latePatch.text)
        XCTAssertEqual(latePatch.code, "invalid_transition")
        XCTAssertEqual(try api.get(path).json?["title"], "Convention cadre 2026")

        // First signature.
        let signA = try api.post("\(path)/signatures", ["partner_id": .string(a), "signatory": "Alice Martin"])
        XCTAssertEqual(signA.status, 201, signA.text)
        XCTAssertEqual(signA.json?["status"], "awaiting_signatures")
        XCTAssertEqual(partyEntry(signA.json, a)?["signatory"], "Alice Martin")
        XCTAssertNotNil(partyEntry(signA.json, a)?["signed_at"]?.stringValue)
        XCTAssertEqual(partyEntry(signA.json, b)?["signed_at"] ?? .null, .null)
        XCTAssertEqual(partyEntry(signA.json, b)?["signatory"] ?? .null, .null)
        XCTAssertEqual(signA.json?["signed_at"] ?? .null, .null)
        XCTAssertEqual(signA.json?["revision"], 0)

        // Signing twice, and a non-party.
        let twice = try api.post("\(path)/signatures", ["partner_id": .string(a), "signatory": "Alice Martin"])
        XCTAssertEqual(twice.status, 409, twice.text)
        let stranger = try api.post("\(path)/signatures", ["partner_id": .string(c), "signatory": "Chloé"])
        XCTAssertEqual(stranger.status, 409, stranger.text)
        XCTAssertEqual(try api.get(path).json?["version"], 4, "refused signatures change nothing")

        // Last signature: in force, revision 1.
        let signB = try api.post("\(path)/signatures", ["partner_id": .string(b), "signatory": "Bruno Petit"])
        XCTAssertEqual(signB.status, 201, signB.text)
        XCTAssertEqual(signB.json?["status"], "in_force")
        XCTAssertEqual(signB.json?["revision"], 1)
        XCTAssertNotNil(signB.json?["signed_at"]?.stringValue)
        XCTAssertEqual(partyEntry(signB.json, b)?["signatory"], "Bruno Petit")
        XCTAssertNotNil(partyEntry(signB.json, b)?["signed_at"]?.stringValue)
        let signAfter = try api.post("\(path)/signatures", ["partner_id": .string(b), "signatory": "Bruno Petit"])
        XCTAssertEqual(signAfter.status, 409, signAfter.text)

        // Delivery: more than the pledge is fine.
        let delivered = try api.patch("\(path)/contributions/\(contributionA)", ["delivered_cents": 150_000])
        XCTAssertEqual(delivered.status, 200, delivered.text)
        XCTAssertEqual(partyEntry(delivered.json, a)?["delivered_cents"], 150_000)
        XCTAssertEqual(partyEntry(delivered.json, a)?["contribution_cents"], 100_000)
        XCTAssertEqual(partyEntry(delivered.json, a)?["contributions"]?.arrayValue?.first?["delivered_cents"], 150_000)
        XCTAssertEqual(partyEntry(delivered.json, b)?["delivered_cents"], 0)
        XCTAssertEqual(delivered.json?["revision"], 1, "a delivery does not amend the text")
        let unknownContribution = try api.patch("\(path)/contributions/ctb_nope", ["delivered_cents": 1])
        XCTAssertEqual(unknownContribution.status, 404, unknownContribution.text)
        let negativeDelivery = try api.patch("\(path)/contributions/\(contributionA)", ["delivered_cents": -5])
        XCTAssertEqual(negativeDelivery.status, 422, negativeDelivery.text)

        // Revision 1 as it stood before any amendment.
        let revision1Before = try api.get("\(path)/revisions/1")
        XCTAssertEqual(revision1Before.status, 200, revision1Before.text)
        XCTAssertEqual(revision1Before.json?["revision"], 1)
        XCTAssertEqual(revision1Before.json?["title"], "Convention cadre 2026")
        XCTAssertEqual(revision1Before.json?["effective_until"], "2029-12-31")
        // The text as the last signature saved it: that version, that time, and its ETag.
        XCTAssertEqual(revision1Before.json?["version"], signB.json?["version"])
        XCTAssertEqual(revision1Before.json?["updated_at"], signB.json?["updated_at"])
        XCTAssertEqual(revision1Before.header("ETag"), signB.header("ETag"))
        XCTAssertEqual(try api.get("\(path)/revisions/1", headers: [("If-None-Match", try XCTUnwrap(signB.header("ETag")))]).status, 304)
        XCTAssertEqual(try api.get("\(path)/revisions/2").status, 404)

        // An amendment that extends the dates and adds a party.
        let contributionB = try XCTUnwrap(partyEntry(signB.json, b)?["contributions"]?.arrayValue?.first?["id"]?.stringValue)
        let changes: JSON = [
            "effective_until": "2031-12-31",
            "parties": [
                ["partner_id": .string(a), "contributions": [["id": .string(contributionA), "kind": "financial", "description": "Apport", "value_cents": 100_000]]],
                ["partner_id": .string(b), "contributions": [["id": .string(contributionB), "kind": "financial", "description": "Apport", "value_cents": 80_000]]],
                ["partner_id": .string(c), "contributions": [["kind": "venue", "description": "Salle", "value_cents": 30_000]]],
            ],
        ]
        let proposed = try api.post("\(path)/amendments", ["summary": "Avenant n°1", "changes": changes])
        XCTAssertEqual(proposed.status, 201, proposed.text)
        XCTAssertEqual(proposed.header("Location"), "\(path)/amendments/1")
        XCTAssertEqual(proposed.json?["number"], 1)
        XCTAssertEqual(proposed.json?["status"], "awaiting_signatures")
        XCTAssertEqual(proposed.json?["signatures"], .array([]))
        XCTAssertEqual(proposed.json?["summary"], "Avenant n°1")

        // One open amendment at a time.
        let second = try api.post("\(path)/amendments", ["summary": "Avenant n°2", "changes": ["title": "Autre"]])
        XCTAssertEqual(second.status, 409, second.text)
        XCTAssertEqual(try api.get("\(path)/amendments").json?["items"]?.arrayValue?.count, 1)

        // Signatures of the amendment: each party of the resulting text.
        let amendA = try api.post("\(path)/amendments/1/signatures", ["partner_id": .string(a), "signatory": "Alice Martin"])
        XCTAssertEqual(amendA.status, 201, amendA.text)
        XCTAssertEqual(amendA.json?["status"], "awaiting_signatures")
        let amendATwice = try api.post("\(path)/amendments/1/signatures", ["partner_id": .string(a), "signatory": "Alice Martin"])
        XCTAssertEqual(amendATwice.status, 409, amendATwice.text)
        let outsider = try fx.partner("Mairie D", kind: "local_authority")
        let amendOutsider = try api.post("\(path)/amendments/1/signatures", ["partner_id": .string(outsider), "signatory": "Maire"])
        XCTAssertEqual(amendOutsider.status, 409, amendOutsider.text)
        let amendB = try api.post("\(path)/amendments/1/signatures", ["partner_id": .string(b), "signatory": "Bruno Petit"])
        XCTAssertEqual(amendB.status, 201, amendB.text)
        XCTAssertEqual(amendB.json?["status"], "awaiting_signatures")
        XCTAssertEqual(try api.get(path).json?["revision"], 1, "not applied before every party of the resulting text signed")
        let amendC = try api.post("\(path)/amendments/1/signatures", ["partner_id": .string(c), "signatory": "Chloé Durand"])
        XCTAssertEqual(amendC.status, 201, amendC.text)
        XCTAssertEqual(amendC.json?["status"], "applied")
        XCTAssertNotNil(amendC.json?["applied_at"]?.stringValue)
        XCTAssertEqual(amendC.json?["signatures"]?.arrayValue?.compactMap { $0["partner_id"]?.stringValue }, [a, b, c])
        let amendAfter = try api.post("\(path)/amendments/1/signatures", ["partner_id": .string(c), "signatory": "Chloé Durand"])
        XCTAssertEqual(amendAfter.status, 409, amendAfter.text)

        // The changes are visible.
        let current = try api.get(path)
        XCTAssertEqual(current.status, 200)
        XCTAssertEqual(current.json?["revision"], 2)
        XCTAssertEqual(current.json?["status"], "in_force")
        XCTAssertEqual(current.json?["effective_until"], "2031-12-31")
        XCTAssertEqual(current.json?["parties"]?.arrayValue?.compactMap { $0["partner_id"]?.stringValue }, [a, b, c])
        XCTAssertEqual(partyEntry(current.json, b)?["contribution_cents"], 80_000)
        XCTAssertEqual(partyEntry(current.json, c)?["contribution_cents"], 30_000)
        XCTAssertEqual(partyEntry(current.json, c)?["contributions"]?.arrayValue?.first?["kind"], "venue")
        XCTAssertEqual(try api.get("\(path)/amendments/1").json?["status"], "applied")

        // Revisions: both texts, revision 1 unchanged byte for byte.
        let revisions = try api.get("\(path)/revisions")
        XCTAssertEqual(revisions.status, 200, revisions.text)
        let items = try XCTUnwrap(revisions.json?["items"]?.arrayValue)
        XCTAssertEqual(items.map { $0["revision"] }, [1, 2])
        XCTAssertEqual(items.first, revision1Before.json)
        XCTAssertEqual(items.last?["effective_until"], "2031-12-31")
        XCTAssertEqual(items.last?["parties"]?.arrayValue?.count, 3)
        let revision1After = try api.get("\(path)/revisions/1")
        XCTAssertEqual(revision1After.status, 200)
        XCTAssertEqual(revision1After.body, revision1Before.body, "revision 1 must stay byte-identical")
        XCTAssertEqual(revision1After.json?["effective_until"], "2029-12-31")
        XCTAssertEqual(revision1After.json?["parties"]?.arrayValue?.count, 2)
        let revision2 = try api.get("\(path)/revisions/2")
        XCTAssertEqual(revision2.status, 200)
        XCTAssertEqual(revision2.json?["revision"], 2)

        // as_of.
        let today = utcDate(daysFromNow: 0)
        let asOfToday = try api.get("\(path)?as_of=\(today)")
        XCTAssertEqual(asOfToday.status, 200, asOfToday.text)
        XCTAssertEqual(asOfToday.json?["revision"], 2)
        XCTAssertEqual(asOfToday.json?["effective_until"], "2031-12-31")
        let asOfPast = try api.get("\(path)?as_of=2000-01-01")
        XCTAssertEqual(asOfPast.status, 404, asOfPast.text)
        XCTAssertEqual(asOfPast.code, "not_found")
        for bad in ["2026-13-01", "yesterday", "2026-02-30", "20260101"] {
            let response = try api.get("\(path)?as_of=\(bad)")
            XCTAssertEqual(response.status, 400, "as_of=\(bad): \(response.text)")
            XCTAssertEqual(response.code, "bad_request", "as_of=\(bad)")
        }

        // Termination.
        let badTermination = try api.post("\(path)/termination", ["reason": "Fin"])
        XCTAssertEqual(badTermination.status, 422, badTermination.text)
        XCTAssertTrue(badTermination.errorFields.contains("effective_on"), "\(badTermination.errorFields)")
        let terminated = try api.post("\(path)/termination", ["reason": "Fin du projet", "effective_on": .string(today)])
        XCTAssertEqual(terminated.status, 200, terminated.text)
        XCTAssertEqual(terminated.json?["status"], "terminated")
        XCTAssertEqual(terminated.json?["terminated_on"], .string(today))
        XCTAssertEqual(terminated.json?["termination_reason"], "Fin du projet")
        XCTAssertEqual(terminated.json?["revision"], 2)
        let again = try api.post("\(path)/termination", ["reason": "Encore", "effective_on": .string(today)])
        XCTAssertEqual(again.status, 409, again.text)
        XCTAssertEqual(again.code, "invalid_transition")
        let afterTermination = try api.post("\(path)/amendments", ["summary": "Trop tard", "changes": ["title": "X"]])
        XCTAssertEqual(afterTermination.status, 409, afterTermination.text)
        let deliveryAfter = try api.patch("\(path)/contributions/\(contributionA)", ["delivered_cents": 1])
        XCTAssertEqual(deliveryAfter.status, 409, deliveryAfter.text)
        XCTAssertEqual(try api.get("\(path)/revisions").json?["items"]?.arrayValue?.count, 2, "termination makes no revision")
    }

    func testAmendmentRules() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B"), c = try fx.partner("C")
        let id = try fx.convention(project: try fx.project(), parties: [(a, 100), (b, 200), (c, 300)])
        try fx.bringIntoForce(id, parties: [a, b, c])
        let path = "/v1/conventions/\(id)"

        // Only the amendable parts, and a valid resulting text.
        let notAmendable = try api.post("\(path)/amendments", ["summary": "Réf", "changes": ["reference": "R-2"]])
        XCTAssertEqual(notAmendable.status, 422, notAmendable.text)
        XCTAssertTrue(notAmendable.errorFields.contains { $0.hasPrefix("changes") && $0.hasSuffix("reference") }, "\(notAmendable.errorFields)")
        let impossible = try api.post("\(path)/amendments", ["summary": "Plafond", "changes": ["governance": ["voting": "equal", "cap_percent": 10]]])
        XCTAssertEqual(impossible.status, 422, impossible.text)
        let onlyOne = try api.post("\(path)/amendments", ["summary": "Seul", "changes": ["parties": [["partner_id": .string(a), "contributions": []]]]])
        XCTAssertEqual(onlyOne.status, 422, onlyOne.text)
        let unknownPartner = try api.post("\(path)/amendments", ["summary": "Inconnu", "changes": ["parties": [
            ["partner_id": .string(a), "contributions": []], ["partner_id": "prt_ghost", "contributions": []]]]])
        XCTAssertEqual(unknownPartner.status, 422, unknownPartner.text)
        let noSummary = try api.post("\(path)/amendments", ["changes": ["title": "x"]])
        XCTAssertEqual(noSummary.status, 422, noSummary.text)
        XCTAssertTrue(noSummary.errorFields.contains("summary"), "\(noSummary.errorFields)")
        XCTAssertEqual(try api.get("\(path)/amendments").json?["items"], .array([]), "refused amendments are not stored")

        // An amendment that drops C: only A and B sign it.
        let drop = try api.post("\(path)/amendments", ["summary": "Retrait de C", "changes": ["parties": [
            ["partner_id": .string(a), "contributions": [["kind": "financial", "description": "Apport", "value_cents": 100]]],
            ["partner_id": .string(b), "contributions": [["kind": "financial", "description": "Apport", "value_cents": 200]]]]]])
        XCTAssertEqual(drop.status, 201, drop.text)
        let byC = try api.post("\(path)/amendments/1/signatures", ["partner_id": .string(c), "signatory": "C"])
        XCTAssertEqual(byC.status, 409, "a party that is not in the resulting text: \(byC.text)")
        XCTAssertEqual(try api.post("\(path)/amendments/1/signatures", ["partner_id": .string(a), "signatory": "A"]).status, 201)
        let last = try api.post("\(path)/amendments/1/signatures", ["partner_id": .string(b), "signatory": "B"])
        XCTAssertEqual(last.status, 201, last.text)
        XCTAssertEqual(last.json?["status"], "applied")
        let current = try api.get(path)
        XCTAssertEqual(current.json?["revision"], 2)
        XCTAssertEqual(current.json?["parties"]?.arrayValue?.compactMap { $0["partner_id"]?.stringValue }, [a, b])
        XCTAssertEqual(try api.get("\(path)/amendments/2").status, 404)
        XCTAssertEqual(try api.post("\(path)/amendments/2/signatures", ["partner_id": .string(a), "signatory": "A"]).status, 404)

        // A second amendment once the first is applied is fine, and numbered 2.
        let next = try api.post("\(path)/amendments", ["summary": "Titre", "changes": ["title": "Accord révisé"]])
        XCTAssertEqual(next.status, 201, next.text)
        XCTAssertEqual(next.json?["number"], 2)

        // Amendments and revisions page like every list.
        func page(_ list: String, _ query: String, line: UInt = #line) throws -> (items: [JSON], next: String?) {
            let response = try api.get("\(path)/\(list)\(query)")
            XCTAssertEqual(response.status, 200, response.text, line: line)
            return (response.json?["items"]?.arrayValue ?? [], response.json?["next_cursor"]?.stringValue)
        }
        for (list, key) in [("amendments", "number"), ("revisions", "revision")] {
            let first = try page(list, "?limit=1")
            XCTAssertEqual(first.items.map { $0[key] }, [1], list)
            let cursor = try XCTUnwrap(first.next, list)
            let second = try page(list, "?limit=1&cursor=\(cursor)")
            XCTAssertEqual(second.items.map { $0[key] }, [2], list)
            XCTAssertNil(second.next, list)
            XCTAssertEqual(try page(list, "").items.count, 2, list)
            for bad in ["?limit=0", "?limit=501", "?cursor=garbage", "?cursor=c99"] {
                let response = try api.get("\(path)/\(list)\(bad)")
                XCTAssertEqual(response.status, 400, "\(list)\(bad): \(response.text)")
                XCTAssertEqual(response.code, "bad_request")
            }
        }
    }

    func testIfMatchOnActions() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B")
        let id = try fx.convention(project: try fx.project(), parties: [(a, 1), (b, 1)])
        let path = "/v1/conventions/\(id)"
        let staleSubmit = try api.post("\(path)/submit", headers: [("If-Match", "\"7\"")])
        XCTAssertEqual(staleSubmit.status, 412, staleSubmit.text)
        XCTAssertEqual(staleSubmit.code, "precondition_failed")
        let submitted = try api.post("\(path)/submit", headers: [("If-Match", "\"1\"")])
        XCTAssertEqual(submitted.status, 200, submitted.text)
        XCTAssertEqual(submitted.header("ETag"), "\"2\"")
        let staleSign = try api.post("\(path)/signatures", ["partner_id": .string(a), "signatory": "A"], headers: [("If-Match", "\"1\"")])
        XCTAssertEqual(staleSign.status, 412, staleSign.text)
        XCTAssertEqual(try api.post("\(path)/signatures", ["partner_id": .string(a), "signatory": "A"], headers: [("If-Match", "\"2\"")]).status, 201)
        XCTAssertEqual(try api.post("\(path)/signatures", ["partner_id": .string(b), "signatory": "B"]).status, 201)
        let staleTermination = try api.post("\(path)/termination", ["reason": "x", "effective_on": "2026-01-01"], headers: [("If-Match", "\"3\"")])
        XCTAssertEqual(staleTermination.status, 412, staleTermination.text)
        XCTAssertEqual(try api.get(path).json?["status"], "in_force")
        // Amendments are state-changing POSTs on the convention: its version.
        let staleProposal = try api.post("\(path)/amendments", ["summary": "S", "changes": ["title": "T2"]], headers: [("If-Match", "\"3\"")])
        XCTAssertEqual(staleProposal.status, 412, staleProposal.text)
        XCTAssertEqual(try api.get("\(path)/amendments").json?["items"], .array([]), "a refused proposal is not stored")
        XCTAssertEqual(try api.post("\(path)/amendments", ["summary": "S", "changes": ["title": "T2"]], headers: [("If-Match", "\"4\"")]).status, 201)
        let staleAmendmentSign = try api.post("\(path)/amendments/1/signatures", ["partner_id": .string(a), "signatory": "A"], headers: [("If-Match", "\"3\"")])
        XCTAssertEqual(staleAmendmentSign.status, 412, staleAmendmentSign.text)
        XCTAssertEqual(try api.get("\(path)/amendments/1").json?["signatures"], .array([]))
        XCTAssertEqual(try api.post("\(path)/amendments/1/signatures", ["partner_id": .string(a), "signatory": "A"], headers: [("If-Match", "\"4\"")]).status, 201)
        let notModified = try api.get(path, headers: [("If-None-Match", "\"4\"")])
        XCTAssertEqual(notModified.status, 304)
    }

    func testTerminationOfDraftIsRefused() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B")
        let id = try fx.convention(project: try fx.project(), parties: [(a, 1), (b, 1)])
        let response = try api.post("/v1/conventions/\(id)/termination", ["reason": "x", "effective_on": "2026-01-01"])
        XCTAssertEqual(response.status, 409, response.text)
        XCTAssertEqual(response.code, "invalid_transition")
        XCTAssertEqual(try api.get("/v1/conventions/\(id)?as_of=2030-01-01").status, 404, "never in force: no revision")
        XCTAssertEqual(try api.get("/v1/conventions/\(id)/revisions").json?["items"], .array([]))
    }

    func testExpired() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B")
        let project = try fx.project()
        let old = try fx.convention(project: project, parties: [(a, 1), (b, 1)], extra: ["effective_from": "2000-01-01", "effective_until": "2001-01-01"])
        let yesterday = try fx.convention(project: project, parties: [(a, 1), (b, 1)], extra: ["effective_until": .string(utcDate(daysFromNow: -1))])
        let today = try fx.convention(project: project, parties: [(a, 1), (b, 1)], extra: ["effective_until": .string(utcDate(daysFromNow: 0))])
        let open = try fx.convention(project: project, parties: [(a, 1), (b, 1)])
        XCTAssertEqual(try api.get("/v1/conventions/\(old)").json?["expired"], true)
        XCTAssertEqual(try api.get("/v1/conventions/\(yesterday)").json?["expired"], true)
        XCTAssertEqual(try api.get("/v1/conventions/\(today)").json?["expired"], false, "not expired on its last day")
        XCTAssertEqual(try api.get("/v1/conventions/\(open)").json?["expired"], false)
        // Also in force, and in lists.
        try fx.bringIntoForce(old, parties: [a, b])
        let listed = try api.get("/v1/conventions?status=in_force")
        XCTAssertEqual(listed.json?["items"]?.arrayValue?.map { $0["id"]?.stringValue }, [old])
        XCTAssertEqual(listed.json?["items"]?.arrayValue?.first?["expired"], true)
    }

    // MARK: - Lists

    func testListFilters() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B"), c = try fx.partner("C")
        let p1 = try fx.project("P1"), p2 = try fx.project("P2")
        let c1 = try fx.convention(project: p1, parties: [(a, 1), (b, 1)])
        let c2 = try fx.convention(project: p2, parties: [(b, 1), (c, 1)])
        try fx.bringIntoForce(c2, parties: [b, c])
        let c3 = try fx.convention(project: p1, parties: [(a, 1), (c, 1)])
        XCTAssertEqual(try api.post("/v1/conventions/\(c3)/submit").status, 200)

        func ids(_ query: String, line: UInt = #line) throws -> [String] {
            let response = try api.get("/v1/conventions\(query)")
            XCTAssertEqual(response.status, 200, response.text, line: line)
            XCTAssertEqual(response.json?["next_cursor"], .null, line: line)
            return response.json?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        }
        XCTAssertEqual(try ids(""), [c1, c2, c3])
        XCTAssertEqual(try ids("?project_id=\(p1)"), [c1, c3])
        XCTAssertEqual(try ids("?project_id=\(p2)"), [c2])
        XCTAssertEqual(try ids("?project_id=prj_none"), [])
        XCTAssertEqual(try ids("?partner_id=\(a)"), [c1, c3])
        XCTAssertEqual(try ids("?partner_id=\(b)"), [c1, c2])
        XCTAssertEqual(try ids("?partner_id=\(c)"), [c2, c3])
        XCTAssertEqual(try ids("?status=draft"), [c1])
        XCTAssertEqual(try ids("?status=awaiting_signatures"), [c3])
        XCTAssertEqual(try ids("?status=in_force"), [c2])
        XCTAssertEqual(try ids("?status=terminated"), [])
        XCTAssertEqual(try ids("?project_id=\(p1)&partner_id=\(c)"), [c3])
        XCTAssertEqual(try ids("?project_id=\(p1)&status=draft"), [c1])
        let badStatus = try api.get("/v1/conventions?status=signed")
        XCTAssertEqual(badStatus.status, 400, badStatus.text)
        XCTAssertEqual(badStatus.code, "bad_request")

        // Paging.
        let first = try api.get("/v1/conventions?limit=2")
        XCTAssertEqual(first.json?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue }, [c1, c2])
        let cursor = try XCTUnwrap(first.json?["next_cursor"]?.stringValue)
        XCTAssertEqual(try ids("?limit=2&cursor=\(cursor)"), [c3])
    }

    func testExpiringWithinDays() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B")
        let project = try fx.project()
        func inForce(until: String) throws -> String {
            let id = try fx.convention(project: project, parties: [(a, 1), (b, 1)], extra: ["effective_until": .string(until)])
            try fx.bringIntoForce(id, parties: [a, b])
            return id
        }
        let in5 = try inForce(until: utcDate(daysFromNow: 5))
        let in40 = try inForce(until: utcDate(daysFromNow: 40))
        let expired = try inForce(until: "2001-01-01")
        _ = try fx.convention(project: project, parties: [(a, 1), (b, 1)], extra: ["effective_until": .string(utcDate(daysFromNow: 5))]) // a draft

        func ids(_ query: String, line: UInt = #line) throws -> [String] {
            let response = try api.get("/v1/conventions\(query)")
            XCTAssertEqual(response.status, 200, response.text, line: line)
            return response.json?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        }
        XCTAssertEqual(try ids("?expiring_within_days=30"), [in5])
        XCTAssertEqual(try ids("?expiring_within_days=4"), [])
        XCTAssertEqual(try ids("?expiring_within_days=5"), [in5], "today + N is included")
        XCTAssertEqual(try ids("?expiring_within_days=40"), [in5, in40])
        XCTAssertFalse(try ids("?expiring_within_days=36500").contains(expired), "already expired ones are not listed")

        // Both ends included: today and today + 30.
        let inToday = try inForce(until: utcDate(daysFromNow: 0))
        let in30 = try inForce(until: utcDate(daysFromNow: 30))
        XCTAssertEqual(try ids("?expiring_within_days=30"), [in5, inToday, in30])
        XCTAssertEqual(try ids("?expiring_within_days=0"), [inToday])
        XCTAssertEqual(try ids("?expiring_within_days=30&partner_id=\(a)"), [in5, inToday, in30])

        for bad in ["abc", "-1", "1.5", "", "30d"] {
            let response = try api.get("/v1/conventions?expiring_within_days=\(bad)")
            XCTAssertEqual(response.status, 400, "expiring_within_days=\(bad): \(response.text)")
            XCTAssertEqual(response.code, "bad_request", "expiring_within_days=\(bad)")
        }
    }

    func testCSV() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B")
        let p1 = try fx.project("P1"), p2 = try fx.project("P2")
        let c1 = try fx.convention(project: p1, parties: [(a, 1), (b, 1)], extra: ["title": "Accord, avec virgule", "reference": "REF-1"])
        let c2 = try fx.convention(project: p2, parties: [(a, 1), (b, 1)])
        try fx.bringIntoForce(c2, parties: [a, b])
        let c3 = try fx.convention(project: p1, parties: [(a, 1), (b, 1)])

        let response = try api.get("/v1/conventions?limit=1", headers: [("Accept", "text/csv")])
        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertTrue(response.header("Content-Type")?.hasPrefix("text/csv") ?? false, "\(response.header("Content-Type") ?? "none")")
        let lines = response.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(lines.count, 4, "header + every row, no paging: \(response.text)")
        XCTAssertTrue(lines[0].hasPrefix("id,project_id,title,reference,status,currency"), lines[0])
        XCTAssertEqual(lines[0], "id,project_id,title,reference,status,currency,effective_from,effective_until,notice_days,authorised_signatories,"
                       + "expired,revision,text_sha256,signed_at,terminated_on,termination_reason,created_at,updated_at,version", "the scalar fields in JSON order")
        XCTAssertFalse(lines[0].contains("parties"), "arrays of objects are left out")
        XCTAssertFalse(lines[0].contains("dispute_resolution"), "nested objects are left out")
        XCTAssertTrue(lines[1].hasPrefix("\(c1),\(p1),\"Accord, avec virgule\",REF-1,draft,EUR"), lines[1])
        XCTAssertTrue(lines[2].hasPrefix("\(c2),\(p2),Convention de partenariat,,in_force,EUR"), lines[2])
        XCTAssertTrue(lines[3].hasPrefix("\(c3),"), lines[3])

        // A cursor from a JSON page does not page the CSV either: every row, always.
        let cursor = try XCTUnwrap(try api.get("/v1/conventions?limit=1").json?["next_cursor"]?.stringValue)
        let fromCursor = try api.get("/v1/conventions?cursor=\(cursor)", headers: [("Accept", "text/csv")])
        XCTAssertEqual(fromCursor.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count, 4, fromCursor.text)

        let filtered = try api.get("/v1/conventions?project_id=\(p1)", headers: [("Accept", "text/csv")])
        let filteredLines = filtered.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(filteredLines.count, 3, filtered.text)
        XCTAssertFalse(filtered.text.contains(c2))
    }

    // MARK: - Partner scope

    func testPartnerKeyScope() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B"), c = try fx.partner("C")
        let project = try fx.project()
        let mine = try fx.convention(project: project, parties: [(a, 1), (b, 1)])
        let other = try fx.convention(project: project, parties: [(b, 1), (c, 1)])
        XCTAssertEqual(try api.post("/v1/conventions/\(mine)/submit").status, 200)
        XCTAssertEqual(try api.post("/v1/conventions/\(other)/submit").status, 200)

        let partnerA = live.client(token: try live.token(role: "partner", partnerID: a))
        let list = try partnerA.get("/v1/conventions")
        XCTAssertEqual(list.status, 200, list.text)
        XCTAssertEqual(list.json?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue }, [mine])
        XCTAssertEqual(try partnerA.get("/v1/conventions?partner_id=\(b)").json?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue }, [mine])
        XCTAssertEqual(try partnerA.get("/v1/conventions/\(mine)").status, 200)
        let hidden = try partnerA.get("/v1/conventions/\(other)")
        XCTAssertEqual(hidden.status, 404, hidden.text)
        XCTAssertEqual(hidden.code, "not_found")
        XCTAssertEqual(try partnerA.get("/v1/conventions/\(other)/revisions").status, 404)
        let csv = try partnerA.get("/v1/conventions", headers: [("Accept", "text/csv")])
        XCTAssertFalse(csv.text.contains(other))

        // Signing: its own partner only.
        let forOther = try partnerA.post("/v1/conventions/\(mine)/signatures", ["partner_id": .string(b), "signatory": "Usurper"])
        XCTAssertEqual(forOther.status, 403, forOther.text)
        XCTAssertEqual(forOther.code, "forbidden")
        let own = try partnerA.post("/v1/conventions/\(mine)/signatures", ["partner_id": .string(a), "signatory": "Alice"])
        XCTAssertEqual(own.status, 201, own.text)
        XCTAssertEqual(partyEntry(own.json, a)?["signatory"], "Alice")
        XCTAssertEqual(partyEntry(own.json, b)?["signed_at"] ?? .null, .null)
        // Not its convention: 404, whoever it names.
        let notMine = try partnerA.post("/v1/conventions/\(other)/signatures", ["partner_id": .string(b), "signatory": "Usurper"])
        XCTAssertEqual(notMine.status, 404, notMine.text)
        let notMineSelf = try partnerA.post("/v1/conventions/\(other)/signatures", ["partner_id": .string(a), "signatory": "Alice"])
        XCTAssertEqual(notMineSelf.status, 404, notMineSelf.text)
        XCTAssertEqual(try api.get("/v1/conventions/\(other)").json?["version"], 2, "refused signatures change nothing")

        // Writes that are not signatures: 403 on its own, 404 elsewhere.
        let patch = try partnerA.patch("/v1/conventions/\(mine)", ["title": "x"])
        XCTAssertEqual(patch.status, 403, patch.text)
        let terminate = try partnerA.post("/v1/conventions/\(other)/termination", ["reason": "x", "effective_on": "2026-01-01"])
        XCTAssertEqual(terminate.status, 404, terminate.text)
    }

    // MARK: - Concurrency

    func testConcurrentLastSignatures() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B"), c = try fx.partner("C")
        let project = try fx.project()
        let rounds = 6
        for round in 0..<rounds {
            let id = try fx.convention(project: project, parties: [(a, 1), (b, 1), (c, 1)])
            XCTAssertEqual(try api.post("/v1/conventions/\(id)/submit").status, 200)
            XCTAssertEqual(try api.post("/v1/conventions/\(id)/signatures", ["partner_id": .string(a), "signatory": "A"]).status, 201)

            let results = runConcurrently([
                { try api.post("/v1/conventions/\(id)/signatures", ["partner_id": .string(b), "signatory": "B"]) },
                { try api.post("/v1/conventions/\(id)/signatures", ["partner_id": .string(c), "signatory": "C"]) },
            ])
            XCTAssertEqual(results.map { $0?.status }, [201, 201], "round \(round): \(results.map { $0?.text ?? "no answer" })")
            XCTAssertEqual(results.filter { $0?.json?["status"] == "in_force" }.count, 1, "round \(round): exactly one signature is the last")

            let current = try api.get("/v1/conventions/\(id)")
            XCTAssertEqual(current.json?["status"], "in_force", "round \(round)")
            XCTAssertEqual(current.json?["revision"], 1, "round \(round)")
            XCTAssertEqual(current.json?["version"], 5, "round \(round): created, submitted, three signatures")
            XCTAssertNotNil(current.json?["signed_at"]?.stringValue)
            XCTAssertEqual(current.json?["parties"]?.arrayValue?.filter { $0["signed_at"]?.stringValue != nil }.count, 3)

            let audit = try api.get("/v1/audit?entity_id=\(id)&limit=500")
            let actions = audit.json?["items"]?.arrayValue?.compactMap { $0["action"]?.stringValue } ?? []
            XCTAssertEqual(actions.filter { $0 == "convention.in_force" }.count, 1, "round \(round): \(actions)")
            XCTAssertEqual(actions.filter { $0 == "convention.signed" }.count, 3, "round \(round): \(actions)")
            let revisions = try api.get("/v1/conventions/\(id)/revisions")
            XCTAssertEqual(revisions.json?["items"]?.arrayValue?.map { $0["revision"] }, [1], "round \(round)")
        }
        XCTAssertEqual(try live.count("convention_revisions"), rounds)
    }

    func testConcurrentAmendments() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B"), c = try fx.partner("C")
        let project = try fx.project()
        for round in 0..<4 {
            let id = try fx.convention(project: project, parties: [(a, 1), (b, 1), (c, 1)])
            try fx.bringIntoForce(id, parties: [a, b, c])
            let path = "/v1/conventions/\(id)"
            // Two proposals at once: one open amendment at a time.
            let proposals = runConcurrently([
                { try api.post("\(path)/amendments", ["summary": "Un", "changes": ["title": "Titre un"]]) },
                { try api.post("\(path)/amendments", ["summary": "Deux", "changes": ["title": "Titre deux"]]) },
            ])
            XCTAssertEqual(proposals.compactMap { $0?.status }.sorted(), [201, 409], "round \(round): \(proposals.map { $0?.text ?? "no answer" })")
            XCTAssertEqual(try api.get("\(path)/amendments").json?["items"]?.arrayValue?.count, 1, "round \(round)")
            let winner = proposals.compactMap { $0 }.first { $0.status == 201 }
            let title = winner?.json?["changes"]?["title"]
            // A signs, then B and C sign at the same time: applied once, revision 2.
            XCTAssertEqual(try api.post("\(path)/amendments/1/signatures", ["partner_id": .string(a), "signatory": "A"]).status, 201)
            let signatures = runConcurrently([
                { try api.post("\(path)/amendments/1/signatures", ["partner_id": .string(b), "signatory": "B"]) },
                { try api.post("\(path)/amendments/1/signatures", ["partner_id": .string(c), "signatory": "C"]) },
            ])
            XCTAssertEqual(signatures.map { $0?.status }, [201, 201], "round \(round): \(signatures.map { $0?.text ?? "no answer" })")
            let current = try api.get(path)
            XCTAssertEqual(current.json?["revision"], 2, "round \(round)")
            XCTAssertEqual(current.json?["title"], title, "round \(round)")
            XCTAssertEqual(try api.get("\(path)/revisions").json?["items"]?.arrayValue?.map { $0["revision"] }, [1, 2], "round \(round)")
            XCTAssertEqual(try api.get("\(path)/amendments/1").json?["signatures"]?.arrayValue?.count, 3, "round \(round)")
            let actions = try api.get("/v1/audit?entity_id=\(id)&limit=500").json?["items"]?.arrayValue?.compactMap { $0["action"]?.stringValue } ?? []
            XCTAssertEqual(actions.filter { $0 == "amendment.applied" }.count, 1, "round \(round)")
            XCTAssertEqual(actions.filter { $0 == "amendment.proposed" }.count, 1, "round \(round)")
        }
    }

    func testConcurrentSameSignature() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B")
        let project = try fx.project()
        for round in 0..<5 {
            let id = try fx.convention(project: project, parties: [(a, 1), (b, 1)])
            XCTAssertEqual(try api.post("/v1/conventions/\(id)/submit").status, 200)
            let results = runConcurrently([
                { try api.post("/v1/conventions/\(id)/signatures", ["partner_id": .string(a), "signatory": "A1"]) },
                { try api.post("/v1/conventions/\(id)/signatures", ["partner_id": .string(a), "signatory": "A2"]) },
            ])
            XCTAssertEqual(results.compactMap { $0?.status }.sorted(), [201, 409], "round \(round): \(results.map { $0?.text ?? "no answer" })")
            let current = try api.get("/v1/conventions/\(id)")
            XCTAssertEqual(current.json?["version"], 3, "round \(round)")
            XCTAssertEqual(current.json?["status"], "awaiting_signatures", "round \(round)")
            let winningResponse = results.compactMap { $0 }.first { $0.status == 201 }
            let winner = partyEntry(winningResponse?.json, a)?["signatory"]
            XCTAssertNotNil(winner?.stringValue)
            XCTAssertEqual(partyEntry(current.json, a)?["signatory"], winner, "round \(round)")
        }
    }

    func testSignatureRacingPatch() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B")
        let project = try fx.project()
        var patchesAccepted = 0
        for round in 0..<6 {
            let id = try fx.convention(project: project, parties: [(a, 1), (b, 1)])
            let path = "/v1/conventions/\(id)"
            let results = runConcurrently([
                {
                    let submit = try api.post("\(path)/submit")
                    guard submit.status == 200 else { return submit }
                    return try api.post("\(path)/signatures", ["partner_id": .string(a), "signatory": "A"])
                },
                { try api.patch(path, ["title": "Titre modifié"]) },
            ])
            let sign = try XCTUnwrap(results[0]), patch = try XCTUnwrap(results[1])
            XCTAssertEqual(sign.status, 201, "round \(round): \(sign.text)")
            XCTAssertTrue([200, 409].contains(patch.status), "round \(round): \(patch.status) \(patch.text)")
            if patch.status == 409 { XCTAssertEqual(patch.code, "invalid_transition", "round \(round)") }
            let patched = patch.status == 200
            if patched { patchesAccepted += 1 }

            let current = try api.get(path)
            XCTAssertEqual(current.json?["status"], "awaiting_signatures", "round \(round)")
            XCTAssertEqual(current.json?["version"], .int(patched ? 4 : 3), "round \(round): versions count every accepted change")
            XCTAssertEqual(current.header("ETag"), patched ? "\"4\"" : "\"3\"", "round \(round)")
            XCTAssertEqual(current.json?["title"], patched ? "Titre modifié" : "Convention de partenariat", "round \(round)")
            XCTAssertEqual(partyEntry(current.json, a)?["signatory"], "A", "round \(round)")
            let audit = try api.get("/v1/audit?entity_id=\(id)&limit=500")
            let actions = (audit.json?["items"]?.arrayValue?.compactMap { $0["action"]?.stringValue } ?? []).sorted()
            XCTAssertEqual(actions, (["convention.created", "convention.signed", "convention.submitted"] + (patched ? ["convention.updated"] : [])).sorted(),
                           "round \(round)")

            // The last signature racing a (refused) PATCH.
            let last = runConcurrently([
                { try api.post("\(path)/signatures", ["partner_id": .string(b), "signatory": "B"]) },
                { try api.patch(path, ["title": "Trop tard"]) },
            ])
            XCTAssertEqual(last.map { $0?.status }, [201, 409], "round \(round)")
            let final = try api.get(path)
            XCTAssertEqual(final.json?["status"], "in_force")
            XCTAssertEqual(final.json?["version"], .int(patched ? 5 : 4), "round \(round)")
            XCTAssertEqual(final.json?["revision"], 1)
        }
        _ = patchesAccepted // either interleaving is legitimate; the invariants above hold for both
    }
}

// MARK: - Helpers (private to this file)

private func party(_ partnerID: String, _ cents: Int64, kind: String = "financial") -> JSON {
    ["partner_id": .string(partnerID),
     "contributions": [["kind": .string(kind), "description": "Apport", "value_cents": .int(cents)]]]
}

private func conventionBody(project: String, parties: [JSON], extra: JSONObject = [:]) -> JSON {
    var body: JSONObject = ["project_id": .string(project), "title": "Convention de partenariat", "parties": .array(parties)]
    for (key, value) in extra { body[key] = value }
    return .object(body)
}

private func partyEntry(_ convention: JSON?, _ partnerID: String) -> JSON? {
    convention?["parties"]?.arrayValue?.first { $0["partner_id"]?.stringValue == partnerID }
}

/// A UTC calendar date, `days` from today.
private func utcDate(daysFromNow days: Int) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd"
    return formatter.string(from: Date().addingTimeInterval(Double(days) * 86_400))
}

/// `@unchecked`: `values` is only touched while `lock` is held.
private final class ConcurrentResults: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: APIResponse] = [:]
    func set(_ index: Int, _ value: APIResponse) { lock.lock(); values[index] = value; lock.unlock() }
    func get(_ index: Int) -> APIResponse? { lock.lock(); defer { lock.unlock() }; return values[index] }
}

/// Runs the jobs at the same time, one thread each; nil where a job threw.
private func runConcurrently(_ jobs: [@Sendable () throws -> APIResponse]) -> [APIResponse?] {
    let results = ConcurrentResults()
    let start = DispatchSemaphore(value: 0)
    let group = DispatchGroup()
    for (index, job) in jobs.enumerated() {
        group.enter()
        Thread {
            start.wait()
            if let response = try? job() { results.set(index, response) }
            group.leave()
        }.start()
    }
    for _ in jobs { start.signal() }
    group.wait()
    return jobs.indices.map { results.get($0) }
}
