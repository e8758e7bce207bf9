import Governance
import JSON
import SQLite

/// A partnership agreement (API.md §5): its text (title, dates, dispute
/// resolution, governance, parties and their pledges) and its lifecycle.
public struct Convention: Sendable {
    static let writableFields = [
        "project_id", "title", "reference", "currency", "effective_from", "effective_until", "notice_days",
        "authorised_signatories", "dispute_resolution", "governance", "parties",
    ]
    /// What an amendment may change (a merge patch over these).
    static let amendableFields = ["title", "effective_until", "dispute_resolution", "governance", "parties"]
    static let disputeMethods = ["negotiation", "mediation", "arbitration", "court"]
    static let contributionKinds = ["financial", "in_kind", "expertise", "network", "venue", "other"]

    public let id: String
    public var projectID: String
    public var title: String
    public var reference: String?
    public var status: ConventionStatus
    public var currency: String
    public var effectiveFrom: String?
    public var effectiveUntil: String?
    public var noticeDays: Int64?
    /// Signatures must name a person entitled to sign (API.md §12).
    public var authorisedSignatories: Bool
    public var disputeResolution: JSONObject
    public var governance: JSONObject
    public var parties: [ConventionParty]
    public var revision: Int
    public var signedAt: String?
    public var terminatedOn: String?
    public var terminationReason: String?
    public var createdAt: String
    public var updatedAt: String
    public var version: Int

    /// Whether the text's term has run out by `today` (a date, `YYYY-MM-DD`).
    public func isExpired(on today: String) -> Bool {
        effectiveUntil.map { $0 < today } ?? false
    }

    /// The date amounts are judged due by: `today` while the convention is
    /// in force, nil otherwise (nothing falls due).
    public func dueDate(on today: String) -> String? {
        status == .inForce ? today : nil
    }

    /// The digest of the agreed text (docs/signatures.md).
    public var textSHA256: String { TextDigest.of(document) }

    /// The stored document (the `document` column, a revision's text, the
    /// `changes` of `convention.created`): the text and its state, nothing
    /// derived from the date.
    var document: JSONObject {
        [
            "id": .string(id), "project_id": .string(projectID), "title": .string(title), "reference": reference.json,
            "status": .string(status.rawValue), "currency": .string(currency),
            "effective_from": effectiveFrom.json, "effective_until": effectiveUntil.json,
            "notice_days": noticeDays.map(JSON.int) ?? .null, "authorised_signatories": .bool(authorisedSignatories),
            "dispute_resolution": .object(disputeResolution), "governance": .object(governance),
            "parties": .array(parties.map { .object($0.document) }),
            "revision": .int(Int64(revision)), "signed_at": signedAt.json,
            "terminated_on": terminatedOn.json, "termination_reason": terminationReason.json,
            "created_at": .string(createdAt), "updated_at": .string(updatedAt), "version": .int(Int64(version)),
        ]
    }

    /// The writable text, the base a PATCH's merge patch applies to.
    var writableJSON: JSONObject {
        var object = JSONObject()
        let full = document
        for key in Self.writableFields { object[key] = full[key] }
        object["parties"] = .array(parties.map { .object($0.writableJSON) })
        return object
    }

    init(stored: StoredRecord) throws(CorruptRecord) {
        id = try stored.string("id")
        projectID = try stored.string("project_id")
        title = try stored.string("title")
        reference = try stored.optionalString("reference")
        status = try stored.value("status")
        currency = try stored.string("currency")
        effectiveFrom = try stored.optionalString("effective_from")
        effectiveUntil = try stored.optionalString("effective_until")
        noticeDays = try stored.optionalInt("notice_days")
        authorisedSignatories = try stored.optionalBool("authorised_signatories") ?? false
        disputeResolution = try stored.object("dispute_resolution")
        governance = try stored.object("governance")
        parties = try stored.records("parties").map { record throws(CorruptRecord) in try ConventionParty(stored: record) }
        revision = Int(try stored.int("revision"))
        signedAt = try stored.optionalString("signed_at")
        terminatedOn = try stored.optionalString("terminated_on")
        terminationReason = try stored.optionalString("termination_reason")
        createdAt = try stored.string("created_at")
        updatedAt = try stored.string("updated_at")
        version = Int(try stored.int("version"))
    }

    /// The convention stored in the `document` column of `row` (of `conventions` or `convention_revisions`).
    init(row: Row, table: String = "conventions") throws(CorruptRecord) {
        try self.init(stored: StoredRecord(documentIn: row, table: table))
    }

    /// Validates a whole writable text (creation, a draft's PATCH, or an amended text).
    /// Existing contributions keep their delivered amounts when their `id` is given;
    /// new ones get random ids, or ids derived from `idSeed` (an amendment's
    /// text must come out the same, digest included, each time it is rebuilt).
    init(id: String, fields: JSONObject, base: Convention?, at: Instant, idSeed: String? = nil) throws(RegistryError) {
        var reader = FieldReader(fields, allowed: Self.writableFields)
        let projectID = reader.string("project_id", required: true)
        let title = reader.string("title", required: true, maxLength: 300, trimmed: true)
        let reference = reader.string("reference", maxLength: 200)
        let currency = reader.string("currency") ?? "EUR"
        if !Currency.isValid(currency) { reader.fail("currency", "an ISO 4217 code such as EUR") }
        let effectiveFrom = reader.date("effective_from")
        let effectiveUntil = reader.date("effective_until")
        if let effectiveFrom, let effectiveUntil, effectiveUntil < effectiveFrom {
            reader.fail("effective_until", "must not be before effective_from")
        }
        let noticeDays = reader.integer("notice_days", minimum: 0, maximum: 36_500)
        let authorisedSignatories = reader.boolean("authorised_signatories") ?? false
        let dispute = Self.disputeResolution(reader.object("dispute_resolution"), reader: &reader)
        let parties = Self.parties(reader.array("parties", required: true), base: base, idSeed: idSeed, reader: &reader)
        let governance = GovernanceSettings.validate(reader.object("governance") ?? [:], parties: parties.map { Party(id: $0.partnerID, contributionCents: $0.contributionCents) }, reader: &reader)
        try reader.check()
        self.id = id
        self.projectID = projectID!
        self.title = title!
        self.reference = reference
        self.status = base?.status ?? .draft
        self.currency = currency
        self.effectiveFrom = effectiveFrom
        self.effectiveUntil = effectiveUntil
        self.noticeDays = noticeDays
        self.authorisedSignatories = authorisedSignatories
        self.disputeResolution = dispute
        self.governance = governance
        self.parties = parties
        self.revision = base?.revision ?? 0
        self.signedAt = base?.signedAt
        self.terminatedOn = base?.terminatedOn
        self.terminationReason = base?.terminationReason
        self.createdAt = base?.createdAt ?? at.timestamp
        self.updatedAt = at.timestamp
        self.version = (base?.version ?? 0) + 1
    }

    private static func disputeResolution(_ object: JSONObject?, reader: inout FieldReader) -> JSONObject {
        guard let object else { return ["method": "negotiation", "details": .null] }
        var inner = FieldReader(object, prefix: "dispute_resolution.", allowed: ["method", "details"])
        let method = inner.oneOf("method", disputeMethods, required: true)
        let details = inner.string("details", maxLength: 10_000, freeText: true)
        reader.absorb(inner.errors)
        return ["method": method.map(JSON.string) ?? .null, "details": details.json]
    }

    private static func parties(_ items: [JSON]?, base: Convention?, idSeed: String?, reader: inout FieldReader) -> [ConventionParty] {
        guard let items else { return [] }
        var parties: [ConventionParty] = []
        for (index, item) in items.enumerated() {
            let prefix = "parties[\(index)]."
            guard let object = item.objectValue else {
                reader.fail("parties[\(index)]", "must be an object")
                continue
            }
            let previous = base?.parties.first { $0.partnerID == object["partner_id"]?.stringValue }
            if let party = ConventionParty(fields: object, prefix: prefix, previous: previous, idSeed: idSeed.map { "\($0)/\(index)" }, reader: &reader) {
                if parties.contains(where: { $0.partnerID == party.partnerID }) {
                    reader.fail(prefix + "partner_id", "appears twice")
                } else {
                    parties.append(party)
                }
            }
        }
        if parties.count < 2 { reader.fail("parties", "at least two distinct parties") }
        if Money.sum(parties.flatMap { $0.contributions.map(\.valueCents) }) == nil {
            reader.fail("parties", "the pledges may not total more than \(Money.maximumCents) cents")
        }
        return parties
    }

    /// Every partner id named in the text (for existence checks and scope).
    var partnerIDs: [String] { parties.map(\.partnerID) }
}

/// A party to a convention: its pledges and its signature.
public struct ConventionParty: Sendable {
    public let partnerID: String
    public var contributions: [Contribution]
    public var signedAt: String?
    public var signatory: String?
    /// The person who signed, when the signature named one.
    public var personID: String?
    /// The digest of the text the party signed.
    public var textSHA256: String?

    /// Pledges are validated so that this sum stays within `Money.maximumCents`.
    public var contributionCents: Int64 { Money.sum(contributions.map(\.valueCents)) ?? Money.maximumCents }
    /// Saturates at `Money.maximumCents` (deliveries may exceed the pledges).
    public var deliveredCents: Int64 { Money.sum(contributions.map(\.deliveredCents)) ?? Money.maximumCents }

    /// The stored form of the party. `defaulting` is stored false, as it
    /// always was: whether a party defaults is judged when it is read.
    var document: JSONObject {
        [
            "partner_id": .string(partnerID), "contributions": .array(contributions.map { .object($0.document) }),
            "contribution_cents": .int(contributionCents), "delivered_cents": .int(deliveredCents),
            "signed_at": signedAt.json, "signatory": signatory.json, "person_id": personID.json, "text_sha256": textSHA256.json,
            "defaulting": .bool(false),
        ]
    }

    /// What the party's instalments have made due by `today` (nil: nothing is due).
    public func dueCents(by today: String?) -> Int64 {
        Money.sum(contributions.map { $0.dueCents(by: today) }) ?? Money.maximumCents
    }

    /// What is due by `today` and not yet delivered, over the party's contributions.
    public func overdueCents(by today: String?) -> Int64 {
        Money.sum(contributions.map { $0.overdueCents(by: today) }) ?? Money.maximumCents
    }

    var writableJSON: JSONObject {
        ["partner_id": .string(partnerID),
         "contributions": .array(contributions.map { .object($0.writableJSON) })]
    }

    init(stored: StoredRecord) throws(CorruptRecord) {
        partnerID = try stored.string("partner_id")
        contributions = try stored.records("contributions").map { record throws(CorruptRecord) in try Contribution(stored: record) }
        signedAt = try stored.optionalString("signed_at")
        signatory = try stored.optionalString("signatory")
        personID = try stored.optionalString("person_id")
        textSHA256 = try stored.optionalString("text_sha256")
    }

    init?(fields: JSONObject, prefix: String, previous: ConventionParty?, idSeed: String?, reader: inout FieldReader) {
        var inner = FieldReader(fields, prefix: prefix, allowed: ["partner_id", "contributions"])
        let partnerID = inner.string("partner_id", required: true)
        var contributions: [Contribution] = []
        for (index, item) in (inner.array("contributions") ?? []).enumerated() {
            let itemPrefix = prefix + "contributions[\(index)]."
            guard let object = item.objectValue else {
                inner.fail("contributions[\(index)]", "must be an object")
                continue
            }
            var c = FieldReader(object, prefix: itemPrefix, allowed: ["id", "kind", "description", "value_cents", "instalments"])
            let id = c.string("id")
            let kind = c.oneOf("kind", Convention.contributionKinds, required: true)
            let description = c.string("description", required: true, maxLength: 2000, trimmed: true, freeText: true)
            let value = c.integer("value_cents", required: true, minimum: 0, maximum: Money.maximumCents)
            let instalments = Instalment.schedule(c.array("instalments"), pledge: value, reader: &c)
            let kept = id.flatMap { id in previous?.contributions.first { $0.id == id } }
            if id != nil && kept == nil { c.fail("id", "no such contribution of this party") }
            inner.absorb(c.errors)
            if let kind, let description, let value, id == nil || kept != nil {
                let newID = idSeed.map { Identifier.derived("ctb", from: "\($0)/\(index)") } ?? Identifier.make("ctb")
                contributions.append(Contribution(id: kept?.id ?? newID, kind: kind, description: description,
                                                  valueCents: value, instalments: instalments, deliveredCents: kept?.deliveredCents ?? 0))
            }
        }
        reader.absorb(inner.errors)
        guard let partnerID else { return nil }
        self.partnerID = partnerID
        self.contributions = contributions
        self.signedAt = previous?.signedAt
        self.signatory = previous?.signatory
        self.personID = previous?.personID
        self.textSHA256 = previous?.textSHA256
    }
}

/// One pledge of a party, and how much of it has been delivered.
public struct Contribution: Sendable {
    public let id: String
    public var kind: String
    public var description: String
    public var valueCents: Int64
    /// When the pledge is to be paid (API.md §14); empty: no schedule.
    public var instalments: [Instalment]
    public var deliveredCents: Int64

    /// The stored form: the writable fields and the delivered amount.
    var document: JSONObject {
        var object = writableJSON
        object["delivered_cents"] = .int(deliveredCents)
        return object
    }

    var writableJSON: JSONObject {
        ["id": .string(id), "kind": .string(kind), "description": .string(description), "value_cents": .int(valueCents),
         "instalments": .array(instalments.map { .object($0.document) })]
    }

    /// What the instalments due on or before `today` add up to (nil: nothing is due).
    public func dueCents(by today: String?) -> Int64 {
        guard let today else { return 0 }
        return instalments.filter { $0.dueOn <= today }.reduce(0) { $0 + $1.valueCents }
    }

    /// What is due by `today` and not yet delivered.
    public func overdueCents(by today: String?) -> Int64 {
        max(0, dueCents(by: today) - deliveredCents)
    }

    init(id: String, kind: String, description: String, valueCents: Int64, instalments: [Instalment], deliveredCents: Int64) {
        self.id = id
        self.kind = kind
        self.description = description
        self.valueCents = valueCents
        self.instalments = instalments
        self.deliveredCents = deliveredCents
    }

    init(stored: StoredRecord) throws(CorruptRecord) {
        id = try stored.string("id")
        kind = try stored.string("kind")
        description = try stored.string("description")
        valueCents = try stored.int("value_cents")
        instalments = try stored.optionalRecords("instalments").map { record throws(CorruptRecord) in try Instalment(stored: record) }
        deliveredCents = try stored.int("delivered_cents")
    }
}

/// One payment of a pledge: how much, and by when.
public struct Instalment: Sendable {
    public let dueOn: String
    public let valueCents: Int64

    /// The stored (and writable) form.
    var document: JSONObject { ["due_on": .string(dueOn), "value_cents": .int(valueCents)] }

    init(stored: StoredRecord) throws(CorruptRecord) {
        dueOn = try stored.string("due_on")
        valueCents = try stored.int("value_cents")
    }

    private init(dueOn: String, valueCents: Int64) {
        self.dueOn = dueOn
        self.valueCents = valueCents
    }

    /// Validates a schedule: dated instalments, at most one a day, that add
    /// up to the pledge (422 on `instalments` otherwise); kept in date order.
    static func schedule(_ items: [JSON]?, pledge: Int64?, reader: inout FieldReader) -> [Instalment] {
        guard let items else { return [] }
        var schedule: [Instalment] = []
        var complete = true
        for (index, item) in items.enumerated() {
            guard let object = item.objectValue else {
                reader.fail("instalments[\(index)]", "must be an object")
                complete = false
                continue
            }
            var inner = FieldReader(object, prefix: reader.prefix + "instalments[\(index)].", allowed: ["due_on", "value_cents"])
            let dueOn = inner.date("due_on", required: true)
            let value = inner.integer("value_cents", required: true, minimum: 1, maximum: Money.maximumCents)
            if let dueOn, let value, inner.errors.isEmpty {
                schedule.append(Instalment(dueOn: dueOn, valueCents: value))
            } else {
                complete = false
            }
            reader.absorb(inner.errors)
        }
        guard complete else { return [] }
        schedule.sort { $0.dueOn < $1.dueOn }
        if zip(schedule, schedule.dropFirst()).contains(where: { $0.dueOn == $1.dueOn }) {
            reader.fail("instalments", "at most one instalment a day")
        }
        if let pledge, !schedule.isEmpty, Money.sum(schedule.map(\.valueCents)) != pledge {
            reader.fail("instalments", "must add up to value_cents (\(pledge))")
        }
        return schedule
    }
}
