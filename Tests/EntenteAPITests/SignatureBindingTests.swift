import Foundation
import XCTest
import Digest
import JSON
import SQLite

/// Signatures bound to a person and to the text (API.md §12, docs/signatures.md):
/// the authority check on the day of signing, `authorised_signatories`, and
/// `text_sha256` on conventions, parties, revisions, amendments and their
/// signatures, recomputable with the documented jq recipe.
final class SignatureBindingTests: XCTestCase {
    static let partyOrder = ["partner_id", "contributions", "contribution_cents", "delivered_cents", "signed_at", "signatory", "person_id",
                             "text_sha256", "defaulting"]
    static let amendmentSignatureOrder = ["partner_id", "signatory", "person_id", "signed_at", "text_sha256"]
    /// The command of docs/signatures.md, verbatim.
    static let jqProgram = "{id, project_id, title, reference, currency, effective_from, effective_until, notice_days, "
        + "authorised_signatories: (.authorised_signatories // false), dispute_resolution, governance, parties: [.parties[] | "
        + "{partner_id, contributions: [.contributions[] | {id, kind, description, value_cents, instalments: (.instalments // [])}]}]}"

    // MARK: - Helpers

    private struct Setup {
        let live: LiveServer
        let api: APIClient
        let fixtures: Fixtures
        let a: String, b: String
        let project: String
    }

    private func setup() throws -> Setup {
        let live = try LiveServer()
        let api = live.client()
        let fixtures = Fixtures(client: api)
        let a = try fixtures.partner("Musée A"), b = try fixtures.partner("Festival B")
        let project = try fixtures.project("Saison", partners: [a: "lead", b: "host"])
        return Setup(live: live, api: api, fixtures: fixtures, a: a, b: b, project: project)
    }

    /// A convention between A and B, submitted.
    private func awaiting(_ s: Setup, extra: JSONObject = [:]) throws -> String {
        let id = try s.fixtures.convention(project: s.project, parties: [(s.a, 100_000), (s.b, 50_000)], extra: extra)
        let submit = try s.api.post("/v1/conventions/\(id)/submit")
        guard submit.status == 200 else { throw TestFailure("submit: \(submit.status) \(submit.text)") }
        return id
    }

    private func person(_ s: Setup, _ name: String, _ affiliations: [JSON]) throws -> String {
        let response = try s.api.post("/v1/people", ["name": .string(name), "affiliations": .array(affiliations)])
        guard response.status == 201, let id = response.json?["id"]?.stringValue else { throw TestFailure("person: \(response.status) \(response.text)") }
        return id
    }

    private func party(_ convention: JSON?, _ partner: String) -> JSON? {
        convention?["parties"]?.arrayValue?.first { $0["partner_id"]?.stringValue == partner }
    }

    private static func day(_ offset: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = calendar.date(byAdding: .day, value: offset, to: Date())!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    /// The party's members in the documented order (members other sections add may sit between),
    /// with `person_id` and `text_sha256` right after `signatory`.
    private func assertPartyOrder(_ party: JSON?, file: StaticString = #filePath, line: UInt = #line) {
        let keys = party?.objectValue?.keys ?? []
        XCTAssertEqual(keys.filter(Self.partyOrder.contains), Self.partyOrder, "\(keys)", file: file, line: line)
        let signed = keys.firstIndex(of: "signed_at") ?? 0
        XCTAssertEqual(Array(keys.dropFirst(signed).prefix(4)), ["signed_at", "signatory", "person_id", "text_sha256"], "\(keys)", file: file, line: line)
    }

    private func isDigest(_ value: JSON?) -> Bool {
        guard let text = value?.stringValue else { return false }
        return text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// `curl .../revisions/N | jq -jcS '<docs program>' | sha256sum`, with the raw body served.
    private func documentedDigest(of body: [UInt8]) throws -> (canonical: [UInt8], digest: String) {
        let canonical = try Subprocess.run("jq", ["-jcS", Self.jqProgram], input: body)
        let sum = String(decoding: try Subprocess.run("sha256sum", [], input: canonical), as: UTF8.self)
        return (canonical, String(sum.prefix(while: { !$0.isWhitespace })))
    }

    // MARK: - Signing as a person

    func testSigningAsAPersonRecordsTheNameThePersonAndTheDigest() throws {
        let s = try setup()
        let signer = try person(s, "Élise Durand", [["partner_id": .string(s.a), "roles": ["legal_representative"], "title": "Directrice"]])
        let convention = try awaiting(s)
        let path = "/v1/conventions/\(convention)"
        let read = try s.api.get(path)
        let digest = try XCTUnwrap(read.json?["text_sha256"]?.stringValue)
        XCTAssertTrue(isDigest(read.json?["text_sha256"]), digest)
        let keys = try XCTUnwrap(read.json?.objectValue?.keys)
        XCTAssertEqual(keys.firstIndex(of: "authorised_signatories").map { keys[$0 - 1] }, "notice_days", "\(keys)")
        XCTAssertEqual(keys.firstIndex(of: "text_sha256").map { keys[$0 - 1] }, "revision", "\(keys)")
        XCTAssertEqual(read.json?["authorised_signatories"], false, "the default")
        assertPartyOrder(party(read.json, s.a))
        XCTAssertEqual(party(read.json, s.a)?["person_id"], .null)
        XCTAssertEqual(party(read.json, s.a)?["text_sha256"], .null, "null until the party signs")

        let signed = try s.api.post("\(path)/signatures", ["partner_id": .string(s.a), "person_id": .string(signer), "text_sha256": .string(digest)])
        XCTAssertEqual(signed.status, 201, signed.text)
        let partyA = try XCTUnwrap(party(signed.json, s.a))
        assertPartyOrder(partyA)
        XCTAssertEqual(partyA["signatory"], "Élise Durand", "the signatory is the person's name")
        XCTAssertEqual(partyA["person_id"]?.stringValue, signer)
        XCTAssertEqual(partyA["text_sha256"]?.stringValue, digest)
        XCTAssertNotNil(partyA["signed_at"]?.stringValue)
        XCTAssertEqual(party(signed.json, s.b)?["text_sha256"], .null)
        XCTAssertEqual(signed.json?["text_sha256"]?.stringValue, digest, "a signature does not change the text")
        XCTAssertEqual(signed.json?["status"], "awaiting_signatures")

        // B signs by name, with no digest: it still carries the text it signed.
        let last = try s.api.post("\(path)/signatures", ["partner_id": .string(s.b), "signatory": "Bruno Petit"])
        XCTAssertEqual(last.status, 201, last.text)
        XCTAssertEqual(last.json?["status"], "in_force")
        XCTAssertEqual(party(last.json, s.b)?["signatory"], "Bruno Petit")
        XCTAssertEqual(party(last.json, s.b)?["person_id"], .null)

        // Every party's digest is revision 1's, and the convention's.
        let revision = try s.api.get("\(path)/revisions/1")
        XCTAssertEqual(revision.status, 200, revision.text)
        XCTAssertEqual(revision.json?.objectValue?.keys.last, "text_sha256", "the revision's digest is its last member")
        XCTAssertEqual(revision.json?["text_sha256"]?.stringValue, digest)
        let current = try s.api.get(path)
        XCTAssertEqual(current.json?["text_sha256"]?.stringValue, digest)
        for partyEntry in current.json?["parties"]?.arrayValue ?? [] {
            XCTAssertEqual(partyEntry["text_sha256"]?.stringValue, digest, "\(partyEntry)")
        }
        let list = try s.api.get("\(path)/revisions")
        XCTAssertEqual(list.json?["items"]?.arrayValue?.first?["text_sha256"]?.stringValue, digest)
        // A delivery recorded later does not change the text either.
        let contribution = try XCTUnwrap(party(current.json, s.a)?["contributions"]?.arrayValue?.first?["id"]?.stringValue)
        XCTAssertEqual(try s.api.patch("\(path)/contributions/\(contribution)", ["delivered_cents": 1000]).status, 200)
        XCTAssertEqual(try s.api.get(path).json?["text_sha256"]?.stringValue, digest)

        // The audit entry names the person and the digest.
        let entries = try s.api.get("/v1/audit?entity_id=\(convention)&limit=500").json?["items"]?.arrayValue ?? []
        let signedEntry = try XCTUnwrap(entries.first { $0["action"] == "convention.signed" && $0["changes"]?["partner_id"]?.stringValue == s.a })
        XCTAssertEqual(signedEntry["changes"]?["person_id"]?.stringValue, signer)
        XCTAssertEqual(signedEntry["changes"]?["text_sha256"]?.stringValue, digest)
    }

    func testTheAuthorityIsCheckedOnTheDayOfSigning() throws {
        let s = try setup()
        let yesterday = Self.day(-1), today = Self.day(0), tomorrow = Self.day(1)
        let cases: [(String, [JSON], Bool)] = [
            ("no affiliation", [], false),
            ("affiliated to another partner, as signatory", [["partner_id": .string(s.b), "roles": ["signatory", "legal_representative"]]], false),
            ("a contact only", [["partner_id": .string(s.a), "roles": ["contact"]]], false),
            ("a delegate and mediator", [["partner_id": .string(s.a), "roles": ["delegate", "mediator"]]], false),
            ("no role at all", [["partner_id": .string(s.a), "title": "Directrice"]], false),
            ("affiliation that ended yesterday", [["partner_id": .string(s.a), "roles": ["signatory"], "until": .string(yesterday)]], false),
            ("affiliation that starts tomorrow", [["partner_id": .string(s.a), "roles": ["signatory"], "since": .string(tomorrow)]], false),
            ("signing role ended, contact role active",
             [["partner_id": .string(s.a), "roles": ["signatory"], "until": .string(yesterday)], ["partner_id": .string(s.a), "roles": ["contact"]]], false),
            ("signatory, no dates", [["partner_id": .string(s.a), "roles": ["signatory"]]], true),
            ("legal representative, no dates", [["partner_id": .string(s.a), "roles": ["legal_representative"]]], true),
            ("signatory from today until today", [["partner_id": .string(s.a), "roles": ["signatory"], "since": .string(today), "until": .string(today)]], true),
            ("legal representative from yesterday until tomorrow",
             [["partner_id": .string(s.a), "roles": ["contact", "legal_representative"], "since": .string(yesterday), "until": .string(tomorrow)]], true),
            ("a second, active affiliation with the role",
             [["partner_id": .string(s.a), "roles": ["contact"]], ["partner_id": .string(s.a), "roles": ["signatory"], "since": "2000-01-01"]], true),
        ]
        for (index, (name, affiliations, allowed)) in cases.enumerated() {
            let signer = try person(s, "Signataire \(index)", affiliations)
            let convention = try awaiting(s)
            let path = "/v1/conventions/\(convention)"
            let before = try s.api.get(path)
            let auditBefore = try s.live.count("audit")
            let response = try s.api.post("\(path)/signatures", ["partner_id": .string(s.a), "person_id": .string(signer)])
            if allowed {
                XCTAssertEqual(response.status, 201, "\(name): \(response.text)")
                XCTAssertEqual(party(response.json, s.a)?["signatory"]?.stringValue, "Signataire \(index)", name)
                XCTAssertEqual(party(response.json, s.a)?["person_id"]?.stringValue, signer, name)
            } else {
                XCTAssertEqual(response.status, 422, "\(name): \(response.text)")
                XCTAssertEqual(response.code, "validation_failed", name)
                XCTAssertEqual(response.errorFields, ["person_id"], "\(name): \(response.text)")
                XCTAssertEqual(try s.api.get(path).json, before.json, "\(name): nothing changed")
                XCTAssertEqual(try s.live.count("audit"), auditBefore, name)
            }
        }
        XCTAssertEqual(try s.live.count("person_signatures"), cases.filter(\.2).count)
    }

    func testTheSignerFieldsAndTheDigestFormAreChecked() throws {
        let s = try setup()
        let signer = try person(s, "Anne Martin", [["partner_id": .string(s.a), "roles": ["signatory"]]])
        let open = try awaiting(s)
        let strict = try awaiting(s, extra: ["authorised_signatories": true])
        let strictRead = try s.api.get("/v1/conventions/\(strict)")
        XCTAssertEqual(strictRead.json?["authorised_signatories"], true)
        let digest = try XCTUnwrap(try s.api.get("/v1/conventions/\(open)").json?["text_sha256"]?.stringValue)
        let a = JSON.string(s.a)
        let cases: [(String, String, JSON, [String])] = [
            ("unknown person", open, ["partner_id": a, "person_id": "prs_nope"], ["person_id"]),
            ("both signatory and person_id", open, ["partner_id": a, "person_id": .string(signer), "signatory": "Anne Martin"], ["signatory"]),
            ("neither", open, ["partner_id": a], ["signatory"]),
            ("empty signatory", open, ["partner_id": a, "signatory": "  "], ["signatory"]),
            ("no partner", open, ["person_id": .string(signer)], ["partner_id"]),
            ("unknown field", open, ["partner_id": a, "signatory": "Anne", "seal": "red"], ["seal"]),
            ("digest in upper case", open, ["partner_id": a, "signatory": "Anne", "text_sha256": .string(digest.uppercased())], ["text_sha256"]),
            ("digest of 63 digits", open, ["partner_id": a, "signatory": "Anne", "text_sha256": .string(String(digest.dropLast()))], ["text_sha256"]),
            ("digest not hex", open, ["partner_id": a, "signatory": "Anne", "text_sha256": .string(String(repeating: "g", count: 64))], ["text_sha256"]),
            ("digest not a string", open, ["partner_id": a, "signatory": "Anne", "text_sha256": 42], ["text_sha256"]),
            ("authorised only: signatory alone", strict, ["partner_id": a, "signatory": "Anne Martin"], ["person_id"]),
            ("authorised only: neither", strict, ["partner_id": a], ["person_id"]),
            ("authorised only: both", strict, ["partner_id": a, "signatory": "Anne Martin", "person_id": .string(signer)], ["signatory"]),
            ("authorised only: unknown person", strict, ["partner_id": a, "person_id": "prs_nope"], ["person_id"]),
        ]
        let before = try s.live.rows(of: ["conventions", "audit", "person_signatures"])
        for (name, convention, body, fields) in cases {
            let response = try s.api.post("/v1/conventions/\(convention)/signatures", body)
            XCTAssertEqual(response.status, 422, "\(name): \(response.text)")
            XCTAssertEqual(response.code, "validation_failed", name)
            XCTAssertEqual(response.errorFields, fields, "\(name): \(response.text)")
        }
        XCTAssertEqual(try s.live.rows(of: ["conventions", "audit", "person_signatures"]), before, "refused signatures change nothing")

        // A person with authority passes the strict convention; B must sign as a person too.
        let strictA = try s.api.post("/v1/conventions/\(strict)/signatures", ["partner_id": a, "person_id": .string(signer)])
        XCTAssertEqual(strictA.status, 201, strictA.text)
        let signerB = try person(s, "Bruno Petit", [["partner_id": .string(s.b), "roles": ["legal_representative"]]])
        let strictB = try s.api.post("/v1/conventions/\(strict)/signatures", ["partner_id": .string(s.b), "person_id": .string(signerB)])
        XCTAssertEqual(strictB.status, 201, strictB.text)
        XCTAssertEqual(strictB.json?["status"], "in_force")

        // The flag is writable on a draft and part of the text: changing it changes the digest.
        let draft = try s.fixtures.convention(project: s.project, parties: [(s.a, 1), (s.b, 1)])
        let draftDigest = try s.api.get("/v1/conventions/\(draft)").json?["text_sha256"]?.stringValue
        let flagged = try s.api.patch("/v1/conventions/\(draft)", ["authorised_signatories": true])
        XCTAssertEqual(flagged.status, 200, flagged.text)
        XCTAssertEqual(flagged.json?["authorised_signatories"], true)
        XCTAssertNotEqual(flagged.json?["text_sha256"]?.stringValue, draftDigest)
        XCTAssertEqual(try s.api.patch("/v1/conventions/\(draft)", ["authorised_signatories": "yes"]).status, 422)
    }

    func testTheBodyIsCheckedBeforeTheState() throws {
        // docs/signatures.md: scope (404/403), then the body (422), then the state (409).
        let s = try setup()
        let contact = try person(s, "Contact", [["partner_id": .string(s.a), "roles": ["contact"]]])
        let outsider = try s.fixtures.partner("Ville C")
        let draft = try s.fixtures.convention(project: s.project, parties: [(s.a, 1), (s.b, 1)])
        let signed = try awaiting(s)
        XCTAssertEqual(try s.api.post("/v1/conventions/\(signed)/signatures", ["partner_id": .string(s.a), "signatory": "Anne"]).status, 201)
        let cases: [(String, String, JSON, [String])] = [
            ("draft, both signer fields", draft, ["partner_id": .string(s.a), "signatory": "A", "person_id": .string(contact)], ["signatory"]),
            ("draft, malformed digest", draft, ["partner_id": .string(s.a), "signatory": "A", "text_sha256": "abc"], ["text_sha256"]),
            ("draft, unknown person", draft, ["partner_id": .string(s.a), "person_id": "prs_nope"], ["person_id"]),
            ("draft, person without authority", draft, ["partner_id": .string(s.a), "person_id": .string(contact)], ["person_id"]),
            ("not a party, unknown person", signed, ["partner_id": .string(outsider), "person_id": "prs_nope"], ["person_id"]),
            ("already signed, person without authority", signed, ["partner_id": .string(s.a), "person_id": .string(contact)], ["person_id"]),
        ]
        for (name, convention, body, fields) in cases {
            let response = try s.api.post("/v1/conventions/\(convention)/signatures", body)
            XCTAssertEqual(response.status, 422, "\(name): \(response.text)")
            XCTAssertEqual(response.errorFields, fields, "\(name): \(response.text)")
        }
    }

    func testAStaleDigestIs409AndChangesNothing() throws {
        let s = try setup()
        let signer = try person(s, "Anne Martin", [["partner_id": .string(s.a), "roles": ["signatory"]]])
        let convention = try s.fixtures.convention(project: s.project, parties: [(s.a, 100), (s.b, 100)])
        let path = "/v1/conventions/\(convention)"
        let first = try XCTUnwrap(try s.api.get(path).json?["text_sha256"]?.stringValue)
        XCTAssertEqual(try s.api.get(path).json?["text_sha256"]?.stringValue, first, "the digest is stable")
        let patched = try s.api.patch(path, ["title": "Convention révisée"])
        XCTAssertEqual(patched.status, 200, patched.text)
        let second = try XCTUnwrap(patched.json?["text_sha256"]?.stringValue)
        XCTAssertNotEqual(second, first, "a PATCH of the draft changes its digest")
        XCTAssertEqual(try s.api.post("\(path)/submit").status, 200)
        XCTAssertEqual(try s.api.get(path).json?["text_sha256"]?.stringValue, second, "submitting does not change the text")
        let other = try awaiting(s)
        let otherDigest = try XCTUnwrap(try s.api.get("/v1/conventions/\(other)").json?["text_sha256"]?.stringValue)
        XCTAssertNotEqual(otherDigest, second)

        let before = try s.api.get(path)
        let rowsBefore = try s.live.rows(of: ["conventions", "convention_revisions", "audit", "audit_partners", "person_signatures", "webhook_outbox"])
        let stale: [(String, JSON)] = [
            ("the older draft, by name", ["partner_id": .string(s.a), "signatory": "Anne Martin", "text_sha256": .string(first)]),
            ("the older draft, as a person", ["partner_id": .string(s.a), "person_id": .string(signer), "text_sha256": .string(first)]),
            ("another convention", ["partner_id": .string(s.b), "signatory": "Bruno Petit", "text_sha256": .string(otherDigest)]),
        ]
        for (name, body) in stale {
            let response = try s.api.post("\(path)/signatures", body)
            XCTAssertEqual(response.status, 409, "\(name): \(response.text)")
            XCTAssertEqual(response.code, "conflict", name)
        }
        XCTAssertEqual(try s.api.get(path).json, before.json, "the convention is as it was")
        XCTAssertEqual(try s.live.rows(of: Array(rowsBefore.keys)), rowsBefore, "no row changed")

        let ok = try s.api.post("\(path)/signatures", ["partner_id": .string(s.a), "person_id": .string(signer), "text_sha256": .string(second)])
        XCTAssertEqual(ok.status, 201, ok.text)
        XCTAssertEqual(party(ok.json, s.a)?["text_sha256"]?.stringValue, second)
        // After A signed, B reads the same digest: a signature does not change the text.
        let stillSecond = try s.api.post("\(path)/signatures", ["partner_id": .string(s.b), "signatory": "Bruno", "text_sha256": .string(second)])
        XCTAssertEqual(stillSecond.status, 201, stillSecond.text)
        XCTAssertEqual(try s.api.get("\(path)/revisions/1").json?["text_sha256"]?.stringValue, second)
    }

    // MARK: - Amendments

    func testAmendmentSignaturesCarryTheDigestOfTheResultingText() throws {
        let s = try setup()
        let signerA = try person(s, "Anne Martin", [["partner_id": .string(s.a), "roles": ["signatory"]]])
        let c = try s.fixtures.partner("Ville C", kind: "local_authority")
        let signerC = try person(s, "Chloé Durand", [["partner_id": .string(c), "roles": ["legal_representative"]]])
        let convention = try awaiting(s)
        let path = "/v1/conventions/\(convention)"
        XCTAssertEqual(try s.api.post("\(path)/signatures", ["partner_id": .string(s.a), "person_id": .string(signerA)]).status, 201)
        XCTAssertEqual(try s.api.post("\(path)/signatures", ["partner_id": .string(s.b), "signatory": "Signataire B"]).status, 201)
        let revision1 = try XCTUnwrap(try s.api.get("\(path)/revisions/1").json?["text_sha256"]?.stringValue)
        let inForce = try s.api.get(path)

        // The amendment retitles, changes the majority and adds C (pledging nothing, so no new contribution).
        let keptParties: [JSON] = (inForce.json?["parties"]?.arrayValue ?? []).map { entry in
            ["partner_id": entry["partner_id"] ?? .null, "contributions": .array((entry["contributions"]?.arrayValue ?? []).map { c in
                ["id": c["id"] ?? .null, "kind": c["kind"] ?? .null, "description": c["description"] ?? .null, "value_cents": c["value_cents"] ?? .null]
            })]
        }
        let proposed = try s.api.post("\(path)/amendments", ["summary": "Avenant n°1", "changes": [
            "title": "Convention modifiée", "governance": ["voting": "proportional", "majority": 66.5],
            "parties": .array(keptParties + [["partner_id": .string(c), "contributions": []]]),
        ]])
        XCTAssertEqual(proposed.status, 201, proposed.text)
        let amendmentDigest = try XCTUnwrap(proposed.json?["text_sha256"]?.stringValue)
        XCTAssertTrue(isDigest(proposed.json?["text_sha256"]))
        XCTAssertNotEqual(amendmentDigest, revision1)
        let keys = try XCTUnwrap(proposed.json?.objectValue?.keys)
        XCTAssertEqual(keys.firstIndex(of: "text_sha256").map { keys[$0 - 1] }, "changes", "\(keys)")
        XCTAssertEqual(try s.api.get("\(path)/amendments/1").json?["text_sha256"]?.stringValue, amendmentDigest, "the digest is stable")
        XCTAssertEqual(try s.api.get("\(path)/amendments").json?["items"]?.arrayValue?.first?["text_sha256"]?.stringValue, amendmentDigest)

        // Signing the text in force is signing another text: 409, nothing changes.
        let before = try s.live.rows(of: ["amendments", "conventions", "audit", "person_signatures"])
        let stale = try s.api.post("\(path)/amendments/1/signatures", ["partner_id": .string(s.a), "person_id": .string(signerA),
                                                                     "text_sha256": .string(revision1)])
        XCTAssertEqual(stale.status, 409, stale.text)
        XCTAssertEqual(stale.code, "conflict")
        let noAuthority = try s.api.post("\(path)/amendments/1/signatures", ["partner_id": .string(s.b), "person_id": .string(signerA)])
        XCTAssertEqual(noAuthority.status, 422, noAuthority.text)
        XCTAssertEqual(noAuthority.errorFields, ["person_id"])
        XCTAssertEqual(try s.live.rows(of: ["amendments", "conventions", "audit", "person_signatures"]), before)

        let signA = try s.api.post("\(path)/amendments/1/signatures", ["partner_id": .string(s.a), "person_id": .string(signerA),
                                                                     "text_sha256": .string(amendmentDigest)])
        XCTAssertEqual(signA.status, 201, signA.text)
        let signature = try XCTUnwrap(signA.json?["signatures"]?.arrayValue?.first)
        XCTAssertEqual(signature.objectValue?.keys, Self.amendmentSignatureOrder)
        XCTAssertEqual(signature["signatory"], "Anne Martin")
        XCTAssertEqual(signature["person_id"]?.stringValue, signerA)
        XCTAssertEqual(signature["text_sha256"]?.stringValue, amendmentDigest)
        let signB = try s.api.post("\(path)/amendments/1/signatures", ["partner_id": .string(s.b), "signatory": "Bruno Petit"])
        XCTAssertEqual(signB.status, 201, signB.text)
        XCTAssertEqual(signB.json?["status"], "awaiting_signatures")
        XCTAssertEqual(signB.json?["signatures"]?.arrayValue?.last?["person_id"], .null)
        let signC = try s.api.post("\(path)/amendments/1/signatures", ["partner_id": .string(c), "person_id": .string(signerC),
                                                                     "text_sha256": .string(amendmentDigest)])
        XCTAssertEqual(signC.status, 201, signC.text)
        XCTAssertEqual(signC.json?["status"], "applied")
        XCTAssertEqual(signC.json?["text_sha256"]?.stringValue, amendmentDigest)
        XCTAssertEqual(signC.json?["signatures"]?.arrayValue?.count, 3)
        for entry in signC.json?["signatures"]?.arrayValue ?? [] {
            XCTAssertEqual(entry["text_sha256"]?.stringValue, amendmentDigest, "\(entry)")
        }

        let revision2 = try s.api.get("\(path)/revisions/2")
        XCTAssertEqual(revision2.json?["text_sha256"]?.stringValue, amendmentDigest, "the amendment's digest is the new revision's")
        XCTAssertEqual(try s.api.get("\(path)/revisions/1").json?["text_sha256"]?.stringValue, revision1, "revision 1 keeps its digest")
        let current = try s.api.get(path)
        XCTAssertEqual(current.json?["revision"], 2)
        XCTAssertEqual(current.json?["text_sha256"]?.stringValue, amendmentDigest)
        // A party's entry keeps the signature it gave: A and B signed revision 1, C the amendment.
        XCTAssertEqual(party(current.json, s.a)?["text_sha256"]?.stringValue, revision1)
        XCTAssertEqual(party(current.json, s.a)?["person_id"]?.stringValue, signerA)
        XCTAssertEqual(party(current.json, s.b)?["text_sha256"]?.stringValue, revision1)
        XCTAssertEqual(party(current.json, s.b)?["person_id"], .null)
        XCTAssertEqual(party(current.json, c)?["text_sha256"]?.stringValue, amendmentDigest)
        XCTAssertEqual(party(current.json, c)?["person_id"]?.stringValue, signerC)
        XCTAssertEqual(party(current.json, c)?["signatory"], "Chloé Durand")
        // And the documented recipe agrees.
        XCTAssertEqual(try documentedDigest(of: revision2.body).digest, amendmentDigest)
    }

    func testAnAmendmentThatAddsAContributionKeepsOneDigest() throws {
        let s = try setup()
        let convention = try awaiting(s)
        let path = "/v1/conventions/\(convention)"
        try [s.a, s.b].forEach { partner in
            XCTAssertEqual(try s.api.post("\(path)/signatures", ["partner_id": .string(partner), "signatory": "Signataire"]).status, 201)
        }
        let text = try s.api.get(path)
        let parties = try XCTUnwrap(text.json?["parties"]?.arrayValue)
        // A keeps its pledge and adds one (no id yet); B keeps its own.
        let changes: JSON = ["parties": .array(parties.map { entry in
            var contributions = (entry["contributions"]?.arrayValue ?? []).map { c -> JSON in
                ["id": c["id"] ?? .null, "kind": c["kind"] ?? .null, "description": c["description"] ?? .null, "value_cents": c["value_cents"] ?? .null]
            }
            if entry["partner_id"]?.stringValue == s.a { contributions.append(["kind": "venue", "description": "Salle", "value_cents": 5000]) }
            return ["partner_id": entry["partner_id"] ?? .null, "contributions": .array(contributions)]
        })]
        let proposed = try s.api.post("\(path)/amendments", ["summary": "Une salle en plus", "changes": changes])
        XCTAssertEqual(proposed.status, 201, proposed.text)
        let digest = try XCTUnwrap(proposed.json?["text_sha256"]?.stringValue)
        XCTAssertEqual(try s.api.get("\(path)/amendments/1").json?["text_sha256"]?.stringValue, digest, "the amendment's digest is stable")
        let signA = try s.api.post("\(path)/amendments/1/signatures", ["partner_id": .string(s.a), "signatory": "A", "text_sha256": .string(digest)])
        XCTAssertEqual(signA.status, 201, "the party read the amendment's digest: \(signA.text)")
        let signB = try s.api.post("\(path)/amendments/1/signatures", ["partner_id": .string(s.b), "signatory": "B"])
        XCTAssertEqual(signB.status, 201, signB.text)
        let signatures = signB.json?["signatures"]?.arrayValue ?? []
        XCTAssertEqual(Set(signatures.compactMap { $0["text_sha256"]?.stringValue }), [digest], "both parties signed one text")
        XCTAssertEqual(try s.api.get("\(path)/revisions/2").json?["text_sha256"]?.stringValue, digest, "the text that came into force is the one signed")
    }

    func testAuthorisedSignatoriesHoldForAmendments() throws {
        let s = try setup()
        let signerA = try person(s, "Anne Martin", [["partner_id": .string(s.a), "roles": ["signatory"]]])
        let signerB = try person(s, "Bruno Petit", [["partner_id": .string(s.b), "roles": ["legal_representative"]]])
        let convention = try awaiting(s, extra: ["authorised_signatories": true])
        let path = "/v1/conventions/\(convention)"
        XCTAssertEqual(try s.api.post("\(path)/signatures", ["partner_id": .string(s.a), "person_id": .string(signerA)]).status, 201)
        XCTAssertEqual(try s.api.post("\(path)/signatures", ["partner_id": .string(s.b), "person_id": .string(signerB)]).status, 201)
        XCTAssertEqual(try s.api.get("\(path)/revisions/1").json?["authorised_signatories"], true)

        let notAmendable = try s.api.post("\(path)/amendments", ["summary": "Plus libre", "changes": ["authorised_signatories": false]])
        XCTAssertEqual(notAmendable.status, 422, notAmendable.text)
        XCTAssertEqual(try s.api.post("\(path)/amendments", ["summary": "Titre", "changes": ["title": "Nouveau"]]).status, 201)
        let byName = try s.api.post("\(path)/amendments/1/signatures", ["partner_id": .string(s.a), "signatory": "Anne Martin"])
        XCTAssertEqual(byName.status, 422, byName.text)
        XCTAssertEqual(byName.errorFields, ["person_id"])
        let byPerson = try s.api.post("\(path)/amendments/1/signatures", ["partner_id": .string(s.a), "person_id": .string(signerA)])
        XCTAssertEqual(byPerson.status, 201, byPerson.text)
    }

    // MARK: - Recomputing the digest the documented way

    func testTheDigestIsRecomputedWithTheDocumentedJqCommand() throws {
        let s = try setup()
        let body: JSON = [
            "project_id": .string(s.project), "title": "Convention « Été 2026 » — Théâtre", "reference": "CONV-2026/ÉTÉ",
            "effective_from": "2026-06-01", "effective_until": "2026-09-30", "notice_days": 30,
            "dispute_resolution": ["method": "mediation", "details": "Médiateur : Chambre de commerce\tde Lyon"],
            "governance": ["voting": "proportional", "majority": 66.5, "quorum_percent": 50],
            "parties": [
                ["partner_id": .string(s.a), "contributions": [["kind": "financial", "description": "Mécénat\tculturel — « été » 😀", "value_cents": 1_234_567]]],
                ["partner_id": .string(s.b), "contributions": [["kind": "venue", "description": "Salle Molière\nplein air", "value_cents": 0],
                                                                ["kind": "expertise", "description": "Régie", "value_cents": 42]]],
            ],
        ]
        let created = try s.api.post("/v1/conventions", body)
        XCTAssertEqual(created.status, 201, created.text)
        let convention = try XCTUnwrap(created.json?["id"]?.stringValue)
        let path = "/v1/conventions/\(convention)"
        try s.fixtures.bringIntoForce(convention, parties: [s.a, s.b])

        let revision = try s.api.get("\(path)/revisions/1")
        XCTAssertEqual(revision.status, 200, revision.text)
        // The raw body holds what the canonical form must handle.
        XCTAssertTrue(revision.text.contains("66.5"), revision.text)
        XCTAssertTrue(revision.text.contains("Mécénat\\tculturel"), revision.text)
        XCTAssertTrue(revision.text.contains("😀"), "non-ASCII is served as is: \(revision.text)")
        let served = try XCTUnwrap(revision.json?["text_sha256"]?.stringValue)

        let (canonical, digest) = try documentedDigest(of: revision.body)
        XCTAssertEqual(digest, served, "jq -jcS … | sha256sum gives the served digest; canonical text: \(String(decoding: canonical, as: UTF8.self))")
        XCTAssertEqual(SHA256.hexHash(String(decoding: canonical, as: UTF8.self)), served, "and so does SHA-256 of jq's bytes")
        // jq's output is the JCS form the server hashes.
        let canonicalText = String(decoding: canonical, as: UTF8.self)
        XCTAssertEqual(canonicalText, try JSON.parse(canonical).canonicalSerialized())
        XCTAssertTrue(canonicalText.hasPrefix("{\"authorised_signatories\":false,\"currency\":\"EUR\",\"dispute_resolution\":{"), canonicalText)
        XCTAssertTrue(canonicalText.contains("\"majority\":66.5"), canonicalText)
        XCTAssertTrue(canonicalText.contains("\"instalments\":[]"), canonicalText)
        XCTAssertFalse(canonicalText.contains("signed_at"), canonicalText)
        XCTAssertFalse(canonicalText.contains("text_sha256"), canonicalText)

        // The convention as GET serves it gives the same digest by the same recipe.
        let current = try s.api.get(path)
        XCTAssertEqual(current.json?["text_sha256"]?.stringValue, served)
        XCTAssertEqual(try documentedDigest(of: current.body).digest, served)
        // And so do the parties.
        for entry in current.json?["parties"]?.arrayValue ?? [] {
            XCTAssertEqual(entry["text_sha256"]?.stringValue, served)
        }
        // A text that differs in one character has another digest.
        var altered = try XCTUnwrap(revision.json?.objectValue)
        altered["title"] = "Convention « Été 2026 » — Theatre"
        var alteredBytes: [UInt8] = []
        JSON.object(altered).write(to: &alteredBytes)
        XCTAssertNotEqual(try documentedDigest(of: alteredBytes).digest, served)
    }
}
