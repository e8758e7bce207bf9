// libFuzzer target for the domain input validation of Sources/Registry:
// partners (create and merge-patch), conventions with their governance, and
// amendment changes, all on JSON objects, with no database opened.
//
// Built by .ci/fuzz.sh into one module with every Sources/Registry file
// (so the internal initializers are visible), linked against JSON, Governance,
// SQLite and Digest built from Sources/ as modules of their own. SQLite is
// linked only because Registry's files import it; no connection is made.
//
// Each input is parsed as JSON; an object is then fed, as it is, to
//  - Partner(id:fields:...)                  (POST /v1/partners)
//  - a fixed partner merge-patched with it   (PATCH /v1/partners/{id})
//  - Convention(id:fields:base:nil,at:)      (POST /v1/conventions)
//  - GovernanceSettings.rules(_:parties:)    (governance simulation), and with
//    its "governance" member when it has one
//  - Amendment(...changes: object).resultingText(of: a fixed convention in force),
//    and with its "changes" member when it has one (POST .../amendments).
// Oracles: no crash; a refusal is a non-empty `.validation` list; an accepted
// text is a fixed point (its writable JSON validates again to the same
// document), and its stored document survives serialize / parse /
// Convention(stored:) unchanged.

import Governance
import JSON

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    DomainInputFuzzer.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

enum DomainInputFuzzer {
    static let at = Instant(epochSeconds: 1_795_000_000)  // 2026-11-18

    static let parties = [
        Party(id: "ptn_a", contributionCents: 500_000),
        Party(id: "ptn_b", contributionCents: 0),
        Party(id: "ptn_c", contributionCents: 125_000),
    ]

    /// A convention in force, built from a fixed stored document (fixed contribution ids).
    static let baseConvention: Convention = {
        let text = #"""
        {"id":"cnv_base","project_id":"prj_1","title":"Base convention","reference":"REF-1","status":"in_force",
         "currency":"EUR","effective_from":"2026-01-01","effective_until":"2028-12-31","notice_days":90,
         "dispute_resolution":{"method":"mediation","details":null},
         "governance":{"voting":"proportional","cap_percent":60,"floor_percent":null,"colleges":[],"quorum_percent":50,
                       "quorum_members_percent":0,"majority":"two_thirds","veto_partner_ids":["ptn_a"]},
         "parties":[
           {"partner_id":"ptn_a","contributions":[{"id":"ctb_a1","kind":"financial","description":"Funding","value_cents":500000,"delivered_cents":100000}],
            "signed_at":"2026-01-02T10:00:00Z","signatory":"A. Person"},
           {"partner_id":"ptn_b","contributions":[{"id":"ctb_b1","kind":"venue","description":"Hall","value_cents":0,"delivered_cents":0}],
            "signed_at":"2026-01-03T10:00:00Z","signatory":"B. Person"},
           {"partner_id":"ptn_c","contributions":[{"id":"ctb_c1","kind":"expertise","description":"Curating","value_cents":125000,"delivered_cents":0}],
            "signed_at":"2026-01-04T10:00:00Z","signatory":"C. Person"}],
         "revision":1,"signed_at":"2026-01-04T10:00:00Z","terminated_on":null,"termination_reason":null,
         "created_at":"2025-12-01T09:00:00Z","updated_at":"2026-01-04T10:00:00Z","version":4}
        """#
        guard case .object(let document)? = try? JSON.parse(text),
              let convention = try? Convention(stored: StoredRecord(document: document, source: "base convention"))
        else { fatalError("bad base convention document") }
        precondition(convention.status == .inForce && convention.parties.count == 3)
        return convention
    }()

    static let basePartner: Partner = {
        let fields: JSONObject = [
            "name": "Théâtre du Fuzz", "kind": "institution", "country": "FR", "city": "Lyon",
            "website": "https://example.org/fuzz", "email": "contact@example.org", "expertise": ["theatre", "circus"],
        ]
        do {
            return try Partner(id: "ptn_base", fields: fields, createdAt: at.timestamp, updatedAt: at.timestamp, version: 1)
        } catch {
            fatalError("bad base partner: \(error)")
        }
    }()

    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        guard case .object(let object)? = try? JSON.parse(input) else { return }

        checkPartner(object)
        let patched = JSON.object(basePartner.writableJSON).mergePatched(with: .object(object)).objectValue ?? [:]
        checkPartner(patched, version: basePartner.version + 1)

        checkConvention { () throws(RegistryError) in try Convention(id: "cnv_fuzz", fields: object, base: nil, at: at) }

        checkGovernance(object)
        if let governance = object["governance"]?.objectValue { checkGovernance(governance) }

        checkAmendment(object)
        if let changes = object["changes"]?.objectValue { checkAmendment(changes) }
    }

    static func expectValidation(_ error: RegistryError, _ what: String) {
        guard case .validation(let faults) = error, !faults.isEmpty else {
            fatalError("\(what) refused with \(error), not a list of field faults")
        }
        for fault in faults { precondition(!fault.message.isEmpty, "a field fault without a message: \(fault)") }
    }

    static func checkPartner(_ fields: JSONObject, version: Int = 1) {
        let partner: Partner
        do {
            partner = try Partner(id: "ptn_fuzz", fields: fields, createdAt: at.timestamp, updatedAt: at.timestamp, version: version)
        } catch {
            expectValidation(error, "a partner")
            return
        }
        precondition(!partner.name.isEmpty && partner.name.count <= 200 && Partner.kinds.contains(partner.kind))
        let again: Partner
        do {
            again = try Partner(id: "ptn_fuzz", fields: partner.writableJSON, createdAt: at.timestamp, updatedAt: at.timestamp, version: version)
        } catch {
            fatalError("an accepted partner's own fields are refused: \(error)\n\(JSON.object(partner.writableJSON))")
        }
        precondition(JSON.object(again.auditRecord) == JSON.object(partner.auditRecord),
                     "partner validation is not idempotent: \(JSON.object(partner.auditRecord)) vs \(JSON.object(again.auditRecord))")
        roundTrip(.object(partner.auditRecord), "partner")
    }

    static func checkConvention(_ make: () throws(RegistryError) -> Convention) {
        let convention: Convention
        do {
            convention = try make()
        } catch {
            expectValidation(error, "a convention")
            return
        }
        precondition(convention.parties.count >= 2, "a convention with fewer than two parties")
        precondition(Set(convention.partnerIDs).count == convention.parties.count, "a party appears twice")
        precondition(Money.sum(convention.parties.flatMap { $0.contributions.map(\.valueCents) }) != nil, "pledges past the maximum")

        // Fixed point: the writable text of an accepted convention is accepted as it is.
        let again: Convention
        do {
            again = try Convention(id: convention.id, fields: convention.writableJSON, base: convention, at: at)
        } catch {
            fatalError("an accepted convention's own text is refused: \(error)\n\(JSON.object(convention.writableJSON))")
        }
        var before = convention.document, after = again.document
        before.removeValue(forKey: "version")
        after.removeValue(forKey: "version")
        precondition(JSON.object(before) == JSON.object(after),
                     "convention validation is not idempotent:\n\(JSON.object(before))\n\(JSON.object(after))")

        // Storage: the document as text, parsed back, makes the same convention.
        let text = JSON.object(convention.document).serialized()
        guard case .object(let stored)? = try? JSON.parse(text) else { fatalError("a stored convention does not parse: \(text)") }
        let loaded: Convention
        do {
            loaded = try Convention(stored: StoredRecord(document: stored, source: "fuzzed convention"))
        } catch {
            fatalError("a stored convention does not load: \(error)\n\(text)")
        }
        precondition(JSON.object(loaded.document) == JSON.object(convention.document),
                     "a stored convention reloads differently:\n\(JSON.object(convention.document))\n\(JSON.object(loaded.document))")

        // Its governance yields rules, also once a party is set aside (a defaulting party).
        _ = GovernanceSettings.rules(convention.governance)
        let absent: Set<String> = [convention.partnerIDs[0]]
        var reader = FieldReader([:], allowed: [])
        let electorate = convention.parties.filter { !absent.contains($0.partnerID) }.map { Party(id: $0.partnerID, contributionCents: $0.contributionCents) }
        _ = GovernanceSettings.validate(GovernanceSettings.excluding(absent, from: convention.governance), parties: electorate, reader: &reader)
        // The values read at serving time: the text digest, expiry, the amounts due and overdue.
        precondition(convention.textSHA256.utf8.count == 64, "a text digest is not 64 hex digits")
        _ = convention.isExpired(on: at.date)
        for party in convention.parties { _ = (party.dueCents(by: at.date), party.overdueCents(by: at.date)) }
    }

    static func checkGovernance(_ object: JSONObject) {
        let result: (rules: GovernanceRules, normalized: JSONObject)
        do {
            result = try GovernanceSettings.rules(object, parties: parties)
        } catch {
            expectValidation(error, "a governance object")
            return
        }
        let again: (rules: GovernanceRules, normalized: JSONObject)
        do {
            again = try GovernanceSettings.rules(result.normalized, parties: parties)
        } catch {
            fatalError("normalized governance is refused: \(error)\n\(JSON.object(result.normalized))")
        }
        precondition(again.rules == result.rules, "normalized governance gives other rules: \(JSON.object(result.normalized))")
        precondition(JSON.object(again.normalized) == JSON.object(result.normalized),
                     "governance normalization is not idempotent: \(JSON.object(result.normalized)) vs \(JSON.object(again.normalized))")
        precondition(GovernanceSettings.rules(result.normalized) == result.rules, "stored governance reads back as other rules")
        roundTrip(.object(result.normalized), "normalized governance")
    }

    static func checkAmendment(_ changes: JSONObject) {
        let amendment = Amendment(conventionID: baseConvention.id, number: 1, summary: "Fuzzed amendment", changes: changes,
                                  textSHA256: baseConvention.textSHA256, createdAt: at.timestamp)
        checkConvention { () throws(RegistryError) in
            do {
                return try amendment.resultingText(of: baseConvention, at: at)
            } catch let error as RegistryError {
                if case .validation(let faults) = error {
                    precondition(faults.allSatisfy { $0.field.hasPrefix("changes.") }, "an amendment fault outside changes.: \(faults)")
                }
                throw error
            } catch {
                fatalError("an amendment fails with a non-registry error: \(error)")
            }
        }
        roundTrip(.object(amendment.document), "amendment")
        let reloaded: Amendment
        do {
            reloaded = try Amendment(conventionID: baseConvention.id, stored: StoredRecord(document: amendment.document, source: "fuzzed amendment"))
        } catch {
            fatalError("a stored amendment does not load: \(error)")
        }
        precondition(JSON.object(reloaded.document) == JSON.object(amendment.document), "an amendment reloads differently")
    }

    static func roundTrip(_ value: JSON, _ what: String) {
        let text = value.serialized()
        guard let parsed = try? JSON.parse(text), parsed == value else {
            fatalError("the \(what) JSON does not round-trip: \(text)")
        }
    }
}
