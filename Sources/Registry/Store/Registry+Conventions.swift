import JSON
import SQLite

/// Filters of `GET /v1/conventions`.
public struct ConventionFilter: Sendable {
    public var projectID: String?
    public var partnerID: String?
    public var status: String?
    public var expiringWithinDays: Int?

    public init(projectID: String? = nil, partnerID: String? = nil, status: String? = nil, expiringWithinDays: Int? = nil) {
        self.projectID = projectID
        self.partnerID = partnerID
        self.status = status
        self.expiringWithinDays = expiringWithinDays
    }
}

/// A convention as read at a date: the text, which parties default, and
/// the date `expired` and the amounts due are judged on (`ConventionPresenter`
/// renders it).
public struct ConventionView: Sendable {
    public let convention: Convention
    /// The partner ids of the parties in default.
    public let defaulting: Set<String>
    /// The date `expired` and the amounts due are judged on.
    public let today: String

    public var version: Int { convention.version }
}

extension Registry {
    public func createConvention(_ fields: JSONObject, change: ChangeContext) throws -> ConventionView {
        let convention = try Convention(id: Identifier.make("cnv"), fields: fields, base: nil, at: change.at)
        return try write(change) { db, audit in
            try checkReferences(convention, db: db)
            try saveConvention(convention, db: db, inserting: true)
            try audit.record("convention.created", entityType: "convention", entityID: convention.id,
                             changes: .object(convention.document), partners: convention.partnerIDs)
            return ConventionView(convention: convention, defaulting: [], today: change.at.date)
        }
    }

    public func convention(_ id: String, scope: Scope) throws -> ConventionView {
        try read { db in try view(try fetchConvention(id, scope: scope, db: db), db: db) }
    }

    public func conventions(_ filter: ConventionFilter, scope: Scope, page: PageRequest) throws -> Page<ConventionView> {
        let today = clock.now()
        return try read { db in
            var query = ListQuery("SELECT seq, document FROM conventions")
            query.filter(ScopeFilter.convention(scope, column: "conventions.id"))
            if let project = filter.projectID { query.filter("project_id = ?", project) }
            if let partner = filter.partnerID {
                query.filter("EXISTS (SELECT 1 FROM convention_parties f WHERE f.convention_id = conventions.id AND f.partner_id = ?)", partner)
            }
            if let status = filter.status { query.filter("status = ?", status) }
            if let days = filter.expiringWithinDays {
                query.filter("status = ? AND effective_until BETWEEN ? AND ?", ConventionStatus.inForce.rawValue, today.date, today.adding(days: days).date)
            }
            let rows = try query.run(db, seqColumn: "seq", page: page)
            return page.page(try rows.map { row in
                let convention = try Convention(row: row)
                return (try row.seq(), try view(convention, db: db))
            })
        }
    }

    public func updateConvention(_ id: String, patch: JSONObject, ifMatch: VersionPrecondition?, change: ChangeContext) throws -> ConventionView {
        try write(change) { db, audit in
            let current = try fetchConvention(id, scope: .everything, db: db)
            try checkVersion(ifMatch, current: current.version)
            guard current.status == .draft else {
                throw RegistryError.invalidTransition("Only a draft convention can be edited; amend one in force.")
            }
            let merged = JSON.object(current.writableJSON).mergePatched(with: .object(patch)).objectValue ?? [:]
            let updated = try Convention(id: id, fields: merged, base: current, at: change.at)
            try checkReferences(updated, db: db)
            try saveConvention(updated, db: db, inserting: false)
            try audit.record("convention.updated", entityType: "convention", entityID: id, changes: .object(patch),
                             partners: Array(Set(current.partnerIDs + updated.partnerIDs)))
            return try view(updated, db: db)
        }
    }

    public func submitConvention(_ id: String, ifMatch: VersionPrecondition?, change: ChangeContext) throws -> ConventionView {
        try transition(id, toward: .awaitingSignatures, ifMatch: ifMatch, change: change) { convention, audit, _ in
            convention.status = .awaitingSignatures
            try audit.record("convention.submitted", entityType: "convention", entityID: id,
                             changes: ["status": .string(convention.status.rawValue)], partners: convention.partnerIDs)
        }
    }

    public func terminateConvention(_ id: String, fields: JSONObject, ifMatch: VersionPrecondition?, change: ChangeContext) throws -> ConventionView {
        var reader = FieldReader(fields, allowed: ["reason", "effective_on"])
        let reason = reader.string("reason", required: true, maxLength: 10_000, trimmed: true, freeText: true)
        let effectiveOn = reader.date("effective_on", required: true)
        try reader.check()
        return try transition(id, toward: .terminated, ifMatch: ifMatch, change: change) { convention, audit, _ in
            convention.status = .terminated
            convention.terminatedOn = effectiveOn
            convention.terminationReason = reason
            try audit.record("convention.terminated", entityType: "convention", entityID: id,
                             changes: ["status": .string(convention.status.rawValue), "terminated_on": .string(effectiveOn!),
                                       "termination_reason": .string(reason!)],
                             partners: convention.partnerIDs)
        }
    }

    /// A party signs the text it read. The last signature puts the convention
    /// in force as revision 1.
    public func signConvention(_ id: String, fields: JSONObject, ifMatch: VersionPrecondition?, actingFor: String?, change: ChangeContext) throws -> ConventionView {
        let request = try SignatureRequest(fields)
        let partnerID = request.partnerID
        var signer: (signatory: String, personID: String?)?
        return try transition(id, toward: .inForce, ifMatch: ifMatch, change: change, scope: Scope(actingFor: actingFor),
                              refusal: { "Only a convention awaiting signatures can be signed (it is \($0.rawValue))." },
                              before: { convention, db in
                                  try Self.checkActing(actingFor, for: partnerID)
                                  try request.checkSigner(authorisedOnly: convention.authorisedSignatories)
                                  signer = try request.signer(on: change.at.date, db: db)
                              }) { convention, audit, db in
            guard let index = convention.parties.firstIndex(where: { $0.partnerID == partnerID }) else {
                throw RegistryError.conflict("Partner \(partnerID) is not a party to this convention.")
            }
            guard convention.parties[index].signedAt == nil else {
                throw RegistryError.conflict("Partner \(partnerID) has already signed.")
            }
            guard let signer else { preconditionFailure("before ran first") }
            let digest = convention.textSHA256
            try request.checkText(digest)
            convention.parties[index].signedAt = change.at.timestamp
            convention.parties[index].signatory = signer.signatory
            convention.parties[index].personID = signer.personID
            convention.parties[index].textSHA256 = digest
            try request.recordSigner(signer.personID, convention: id, amendment: 0, signedAt: change.at.timestamp, db: db)
            let partners = convention.partnerIDs
            try audit.record("convention.signed", entityType: "convention", entityID: id,
                             changes: ["partner_id": .string(partnerID), "signatory": .string(signer.signatory),
                                       "person_id": signer.personID.json, "text_sha256": .string(digest)],
                             partners: partners)
            guard convention.parties.allSatisfy({ $0.signedAt != nil }) else { return }
            convention.status = .inForce
            convention.signedAt = change.at.timestamp
            convention.revision = 1
            try storeRevision(convention, at: change.at, db: db)
            try audit.record("convention.in_force", entityType: "convention", entityID: id,
                             changes: ["status": .string(convention.status.rawValue), "revision": 1, "signed_at": .string(change.at.timestamp)],
                             partners: partners)
            try noticeExpiryIfDue(convention, today: change.at, db: db, audit: audit)
        }
    }

    /// Records what a party has delivered of a pledge (no amendment needed).
    public func recordDelivery(convention id: String, contribution contributionID: String, fields: JSONObject, ifMatch: VersionPrecondition?, change: ChangeContext) throws -> ConventionView {
        var reader = FieldReader(fields, allowed: ["delivered_cents"])
        let delivered = reader.integer("delivered_cents", required: true, minimum: 0, maximum: Money.maximumCents)
        try reader.check()
        return try write(change) { db, audit in
            var convention = try fetchConvention(id, scope: .everything, db: db)
            try checkVersion(ifMatch, current: convention.version)
            guard let party = convention.parties.firstIndex(where: { $0.contributions.contains { $0.id == contributionID } }),
                  let item = convention.parties[party].contributions.firstIndex(where: { $0.id == contributionID })
            else { throw RegistryError.notFound("No contribution \(contributionID) in convention \(id).") }
            guard convention.status == .inForce else {
                throw RegistryError.invalidTransition("Deliveries are recorded on a convention in force only.")
            }
            let before = convention.parties[party].contributions[item].deliveredCents
            convention.parties[party].contributions[item].deliveredCents = delivered!
            convention.updatedAt = change.at.timestamp
            convention.version += 1
            try saveConvention(convention, db: db, inserting: false)
            try audit.record("contribution.delivered", entityType: "convention", entityID: id,
                             changes: ["contribution_id": .string(contributionID), "partner_id": .string(convention.parties[party].partnerID),
                                       "delivered_cents": ["from": .int(before), "to": .int(delivered!)]],
                             partners: convention.partnerIDs)
            return try view(convention, db: db)
        }
    }

    // MARK: - Shared steps

    /// A lifecycle step toward `target`: allowed only while the convention's
    /// status `canMove(to:)` it (409 otherwise, after `before` ran on the
    /// visible convention); `apply` changes the convention (it may stop short
    /// of `target`, as a signature before the last does) and audits, on the
    /// step's new version and time, so what it keeps (a revision) is the
    /// convention as saved.
    func transition(_ id: String, toward target: ConventionStatus, ifMatch: VersionPrecondition?, change: ChangeContext, scope: Scope = .everything,
                    refusal: (ConventionStatus) -> String = { "Not allowed while the convention is \($0.rawValue)." },
                    before: (Convention, Connection) throws -> Void = { _, _ in },
                    _ apply: (inout Convention, AuditLog, Connection) throws -> Void) throws -> ConventionView {
        try write(change) { db, audit in
            var convention = try fetchConvention(id, scope: scope, db: db)
            try before(convention, db)
            try checkVersion(ifMatch, current: convention.version)
            let status = convention.status
            guard status.canMove(to: target) else { throw RegistryError.invalidTransition(refusal(status)) }
            convention.updatedAt = change.at.timestamp
            convention.version += 1
            try apply(&convention, audit, db)
            precondition(convention.status == status || convention.status == target, "a step toward \(target) made the convention \(convention.status)")
            try saveConvention(convention, db: db, inserting: false)
            return try view(convention, db: db)
        }
    }

    /// A partner key acts for its own partner only (403, once the resource is known visible).
    static func checkActing(_ actingFor: String?, for partnerID: String) throws {
        if let actingFor, actingFor != partnerID { throw RegistryError.forbidden("A partner key acts for its own partner only.") }
    }

    func fetchConvention(_ id: String, scope: Scope, db: Connection) throws -> Convention {
        guard let row = try db.queryOne("SELECT document FROM conventions WHERE id = ?", [id], scopedBy: ScopeFilter.convention(scope, column: "conventions.id")) else { throw RegistryError.notFound("No convention \(id).") }
        return try Convention(row: row)
    }

    func view(_ convention: Convention, db: Connection) throws -> ConventionView {
        ConventionView(convention: convention, defaulting: try defaultingParties(convention.id, db: db), today: clock.now().date)
    }

    /// The parties marked defaulting, and those whose breach notice has
    /// lapsed (defaulting from the deadline on, before the job records it).
    func defaultingParties(_ conventionID: String, db: Connection) throws -> Set<String> {
        Set(try db.query("""
            SELECT partner_id FROM party_defaults WHERE convention_id = ?1
            UNION SELECT partner_id FROM breach_notices WHERE convention_id = ?1 AND status = 'open' AND cure_deadline < ?2
              AND EXISTS (SELECT 1 FROM conventions WHERE id = ?1 AND status = 'in_force')
            """, [conventionID, clock.now().timestamp]).compactMap { $0.string("partner_id") })
    }

    /// The project and every party must exist (422 otherwise).
    func checkReferences(_ convention: Convention, db: Connection) throws {
        var errors: [FieldError] = []
        if try db.queryOne("SELECT 1 FROM projects WHERE id = ?", [convention.projectID]) == nil {
            errors.append(FieldError(field: "project_id", message: "no such project"))
        }
        for (index, party) in convention.parties.enumerated() where try db.queryOne("SELECT 1 FROM partners WHERE id = ?", [party.partnerID]) == nil {
            errors.append(FieldError(field: "parties[\(index)].partner_id", message: "no such partner"))
        }
        if !errors.isEmpty { throw RegistryError.validation(errors) }
    }

    func saveConvention(_ convention: Convention, db: Connection, inserting: Bool) throws {
        let document = JSON.object(convention.document).serialized()
        if inserting {
            try db.run("""
                INSERT INTO conventions (id, project_id, status, effective_until, revision, document, created_at, updated_at, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [convention.id, convention.projectID, convention.status.rawValue, convention.effectiveUntil, convention.revision,
                      document, convention.createdAt, convention.updatedAt, convention.version])
        } else {
            try db.run("""
                UPDATE conventions SET project_id = ?, status = ?, effective_until = ?, revision = ?, document = ?, updated_at = ?, version = ?
                WHERE id = ?
                """, [convention.projectID, convention.status.rawValue, convention.effectiveUntil, convention.revision, document,
                      convention.updatedAt, convention.version, convention.id])
            try db.run("DELETE FROM convention_parties WHERE convention_id = ?", [convention.id])
        }
        for party in convention.parties {
            try db.run("INSERT INTO convention_parties (convention_id, partner_id) VALUES (?, ?)", [convention.id, party.partnerID])
        }
    }

    /// Keeps the text of a revision that has just come into force, forever.
    func storeRevision(_ convention: Convention, at: Instant, db: Connection) throws {
        var text = convention.document
        text["updated_at"] = .string(at.timestamp)
        try db.run(
            "INSERT INTO convention_revisions (convention_id, revision, applied_on, applied_at, document, text_sha256) VALUES (?, ?, ?, ?, ?, ?)",
            [convention.id, convention.revision, at.date, at.timestamp, JSON.object(text).serialized(), TextDigest.of(text)]
        )
    }
}
