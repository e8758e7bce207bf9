import JSON
import SQLite

extension Registry {
    /// Gives a party of a convention in force formal notice of a breach.
    public func issueBreachNotice(convention id: String, partner partnerID: String, fields: JSONObject, change: ChangeContext) throws -> BreachNotice {
        try write(change) { db, audit in
            let convention = try fetchConvention(id, scope: .everything, db: db)
            guard convention.partnerIDs.contains(partnerID) else {
                throw RegistryError.notFound("Partner \(partnerID) is not a party to convention \(id).")
            }
            let notice = try BreachNotice(id: Identifier.make("brn"), conventionID: id, partnerID: partnerID, fields: fields, at: change.at)
            guard convention.status == .inForce else {
                throw RegistryError.invalidTransition("Breach notices are given under a convention in force only.")
            }
            if try defaultingParties(id, db: db).contains(partnerID) {
                throw RegistryError.conflict("Partner \(partnerID) is already defaulting.")
            }
            try saveBreachNotice(notice, db: db, inserting: true)
            try audit.record("breach.notified", entityType: "breach_notice", entityID: notice.id,
                             changes: .object(notice.document), partners: convention.partnerIDs)
            return notice
        }
    }

    public func breachNotice(_ id: String, scope: Scope) throws -> BreachNotice {
        try read { db in try fetchBreachNotice(id, scope: scope, db: db) }
    }

    public func breachNotices(convention id: String, scope: Scope, page: PageRequest) throws -> Page<BreachNotice> {
        try read { db in
            _ = try fetchConvention(id, scope: scope, db: db)
            var query = ListQuery("SELECT seq, document FROM breach_notices")
            query.filter("convention_id = ?", id)
            let rows = try query.run(db, seqColumn: "seq", page: page)
            return page.page(try rows.map { row throws in (try row.seq(), try BreachNotice(row: row)) })
        }
    }

    /// The party put the breach right before the deadline.
    public func cureBreachNotice(_ id: String, ifMatch: VersionPrecondition?, change: ChangeContext) throws -> BreachNotice {
        try write(change) { db, audit in
            var notice = try fetchBreachNotice(id, scope: .everything, db: db)
            try checkVersion(ifMatch, current: notice.version)
            let status = notice.status(at: change.at)
            guard status.canMove(to: .cured) else {
                throw RegistryError.invalidTransition("The notice is \(status.rawValue); only an open notice can be cured.")
            }
            // API.md §14: `cure_days` 0 is "for a breach that cannot be cured"; its
            // deadline is its issue, so without this it could be cured in that second.
            guard notice.cureDays > 0 else {
                throw RegistryError.invalidTransition("The notice was given for a breach that cannot be cured (cure_days 0).")
            }
            notice.storedStatus = .cured
            notice.curedAt = change.at.timestamp
            notice.updatedAt = change.at.timestamp
            notice.version += 1
            try saveBreachNotice(notice, db: db, inserting: false)
            let convention = try fetchConvention(notice.conventionID, scope: .everything, db: db)
            try audit.record("breach.cured", entityType: "breach_notice", entityID: id,
                             changes: ["partner_id": .string(notice.partnerID), "cured_at": .string(change.at.timestamp)],
                             partners: convention.partnerIDs)
            return notice
        }
    }

    /// Persists the notices of `conventionID` (nil: all) whose deadline has
    /// passed: each lapses, and its party (if still a party) defaults as by
    /// §7's `default`, from the deadline on, with the notice's reason.
    func lapseDueNotices(convention conventionID: String? = nil, db: Connection, audit: AuditLog) throws {
        var sql = "SELECT document FROM breach_notices WHERE status = 'open' AND cure_deadline < ?"
        var arguments: [any SQLiteBindable] = [audit.change.at.timestamp]
        if let conventionID {
            sql += " AND convention_id = ?"
            arguments.append(conventionID)
        }
        for row in try db.query(sql + " ORDER BY seq", arguments) {
            var notice = try BreachNotice(row: row)
            notice.storedStatus = .lapsed
            notice.updatedAt = audit.change.at.timestamp
            notice.version += 1
            try saveBreachNotice(notice, db: db, inserting: false)
            var convention = try fetchConvention(notice.conventionID, scope: .everything, db: db)
            // A partner an amendment has since removed, or a convention no longer
            // in force, leaves no seat to default from: the notice lapses without effect.
            guard convention.partnerIDs.contains(notice.partnerID), convention.status == .inForce else { continue }
            let persisted = try db.queryOne("SELECT 1 FROM party_defaults WHERE convention_id = ? AND partner_id = ?",
                                            [notice.conventionID, notice.partnerID]) != nil
            guard !persisted else { continue }
            try db.run("INSERT INTO party_defaults (convention_id, partner_id, reason, since) VALUES (?, ?, ?, ?)",
                       [notice.conventionID, notice.partnerID, notice.reason, notice.cureDeadline])
            convention.updatedAt = audit.change.at.timestamp
            convention.version += 1
            try saveConvention(convention, db: db, inserting: false)
            try audit.record("party.defaulted", entityType: "convention", entityID: convention.id,
                             changes: ["partner_id": .string(notice.partnerID), "reason": .string(notice.reason),
                                       "breach_notice_id": .string(notice.id), "since": .string(notice.cureDeadline)],
                             partners: convention.partnerIDs)
            try dropProxies(of: notice.partnerID, convention: convention, db: db, audit: audit)
        }
    }

    func fetchBreachNotice(_ id: String, scope: Scope, db: Connection) throws -> BreachNotice {
        guard let row = try db.queryOne("SELECT document FROM breach_notices WHERE id = ?", [id],
                                        scopedBy: ScopeFilter.convention(scope, column: "breach_notices.convention_id")) else {
            throw RegistryError.notFound("No breach notice \(id).")
        }
        return try BreachNotice(row: row)
    }

    private func saveBreachNotice(_ notice: BreachNotice, db: Connection, inserting: Bool) throws {
        let document = JSON.object(notice.document).serialized()
        if inserting {
            try db.run("""
                INSERT INTO breach_notices (id, convention_id, partner_id, status, cure_deadline, document, created_at, updated_at, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [notice.id, notice.conventionID, notice.partnerID, notice.storedStatus.rawValue, notice.cureDeadline, document,
                      notice.createdAt, notice.updatedAt, notice.version])
        } else {
            try db.run("UPDATE breach_notices SET status = ?, document = ?, updated_at = ?, version = ? WHERE id = ?",
                       [notice.storedStatus.rawValue, document, notice.updatedAt, notice.version, notice.id])
        }
    }
}
