import JSON
import SQLite

/// Filters of `GET /v1/conventions/{id}/obligations`.
public struct ObligationFilter: Sendable {
    public var status: ObligationStatus?
    public var partnerID: String?

    public init(status: ObligationStatus? = nil, partnerID: String? = nil) {
        self.status = status
        self.partnerID = partnerID
    }
}

extension Registry {
    /// Sets an obligation on a party of a convention not terminated.
    public func createObligation(convention id: String, fields: JSONObject, change: ChangeContext) throws -> Obligation {
        let obligation = try Obligation(id: Identifier.make("obl"), conventionID: id, fields: fields, at: change.at)
        return try write(change) { db, audit in
            let convention = try fetchConvention(id, scope: .everything, db: db)
            guard convention.partnerIDs.contains(obligation.partnerID) else {
                throw RegistryError.invalid("partner_id", "not a party to this convention")
            }
            guard convention.status != .terminated else {
                throw RegistryError.invalidTransition("A terminated convention takes no new obligations.")
            }
            try saveObligation(obligation, db: db, inserting: true)
            try audit.record("obligation.created", entityType: "obligation", entityID: obligation.id,
                             changes: .object(obligation.document), partners: convention.partnerIDs)
            return obligation
        }
    }

    public func obligation(_ id: String, scope: Scope) throws -> Obligation {
        try read { db in try fetchObligation(id, scope: scope, db: db) }
    }

    /// `today` (the clock's by default) decides which pending ones `status` reads as overdue;
    /// a request passes the date it renders the items with, so filter and items agree.
    public func obligations(convention id: String, filter: ObligationFilter, scope: Scope, page: PageRequest, today: String? = nil) throws -> Page<Obligation> {
        let today = today ?? clock.now().date
        return try read { db in
            _ = try fetchConvention(id, scope: scope, db: db)
            var query = ListQuery("SELECT seq, document FROM obligations")
            query.filter("convention_id = ?", id)
            if let partner = filter.partnerID { query.filter("partner_id = ?", partner) }
            switch filter.status {
            case nil: break
            case .fulfilled: query.filter("status = 'fulfilled'")
            case .pending: query.filter("status = 'pending' AND due_on >= ?", today)
            case .overdue: query.filter("status = 'pending' AND due_on < ?", today)
            }
            let rows = try query.run(db, seqColumn: "seq", page: page)
            return page.page(try rows.map { row throws in (try row.seq(), try Obligation(row: row)) })
        }
    }

    /// The obligated party (its key, or an editor for it) reports the
    /// obligation fulfilled, with a note or evidence.
    public func fulfilObligation(_ id: String, fields: JSONObject, ifMatch: VersionPrecondition?, actingFor: String?, change: ChangeContext) throws -> Obligation {
        var reader = FieldReader(fields, allowed: ["note", "evidence_url"])
        let note = reader.string("note", maxLength: 10_000, freeText: true)
        let evidence = reader.string("evidence_url", maxLength: 2000)
        if let evidence, !Partner.isWebURL(evidence) { reader.fail("evidence_url", "an http(s) URL") }
        try reader.check()
        return try write(change) { db, audit in
            var obligation = try fetchObligation(id, scope: Scope(actingFor: actingFor), db: db)
            try Self.checkActing(actingFor, for: obligation.partnerID)
            try checkVersion(ifMatch, current: obligation.version)
            guard obligation.status(on: change.at.date).canMove(to: .fulfilled) else {
                throw RegistryError.invalidTransition("The obligation is already fulfilled.")
            }
            obligation.fulfilled = true
            obligation.fulfilledAt = change.at.timestamp
            obligation.note = note
            obligation.evidenceURL = evidence
            obligation.updatedAt = change.at.timestamp
            obligation.version += 1
            try saveObligation(obligation, db: db, inserting: false)
            let convention = try fetchConvention(obligation.conventionID, scope: .everything, db: db)
            try audit.record("obligation.fulfilled", entityType: "obligation", entityID: id,
                             changes: ["partner_id": .string(obligation.partnerID), "fulfilled_at": .string(change.at.timestamp),
                                       "note": note.json, "evidence_url": evidence.json],
                             partners: convention.partnerIDs)
            return obligation
        }
    }

    func fetchObligation(_ id: String, scope: Scope, db: Connection) throws -> Obligation {
        guard let row = try db.queryOne("SELECT document FROM obligations WHERE id = ?", [id],
                                        scopedBy: ScopeFilter.convention(scope, column: "obligations.convention_id")) else {
            throw RegistryError.notFound("No obligation \(id).")
        }
        return try Obligation(row: row)
    }

    func saveObligation(_ obligation: Obligation, db: Connection, inserting: Bool) throws {
        let document = JSON.object(obligation.document).serialized()
        let status = obligation.fulfilled ? ObligationStatus.fulfilled.rawValue : ObligationStatus.pending.rawValue
        if inserting {
            try db.run("""
                INSERT INTO obligations (id, convention_id, partner_id, status, due_on, document, created_at, updated_at, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [obligation.id, obligation.conventionID, obligation.partnerID, status, obligation.dueOn, document,
                      obligation.createdAt, obligation.updatedAt, obligation.version])
        } else {
            try db.run("UPDATE obligations SET status = ?, document = ?, updated_at = ?, version = ? WHERE id = ?",
                       [status, document, obligation.updatedAt, obligation.version, obligation.id])
        }
    }
}
