import JSON
import SQLite

extension Registry {
    /// Persists what the passing of time has made true (API.md §14): breach
    /// notices past their deadline lapse into default, and `obligation.overdue`
    /// and `contribution.overdue` fire once each. Reads already show all of
    /// it; this records it and raises the events. The background loop calls
    /// it, and so do the audit and event feeds before they read.
    public func settleDueDates() throws {
        let now = clock.now()
        let system = ChangeContext(actor: "system", requestID: "due-dates", at: now)
        let lapsing = try read { db in
            try db.queryOne("SELECT 1 FROM breach_notices WHERE status = 'open' AND cure_deadline < ? LIMIT 1", [now.timestamp]) != nil
        }
        if lapsing {
            try write(system) { db, audit in try lapseDueNotices(db: db, audit: audit) }
        }
        try noticeOverdueObligations(now: now, change: system)
        try noticeOverdueInstalments(now: now, change: system)
    }

    private func noticeOverdueObligations(now: Instant, change: ChangeContext) throws {
        let due = try read { db in
            try db.query("SELECT document FROM obligations WHERE status = 'pending' AND overdue_noticed = 0 AND due_on < ? ORDER BY seq", [now.date])
                .map { row throws in try Obligation(row: row) }
        }
        guard !due.isEmpty else { return }
        try write(change) { db, audit in
            for obligation in due {
                try db.run("UPDATE obligations SET overdue_noticed = 1 WHERE id = ? AND overdue_noticed = 0 AND status = 'pending'", [obligation.id])
                guard db.changes == 1 else { continue }
                let partners = try fetchConvention(obligation.conventionID, scope: .everything, db: db).partnerIDs
                try audit.record("obligation.overdue", entityType: "obligation", entityID: obligation.id,
                                 changes: ["convention_id": .string(obligation.conventionID), "partner_id": .string(obligation.partnerID),
                                           "due_on": .string(obligation.dueOn)],
                                 partners: partners)
            }
        }
    }

    /// An instalment is overdue once the pledge's deliveries fall short of
    /// what it and the instalments before it have made due.
    private func noticeOverdueInstalments(now: Instant, change: ChangeContext) throws {
        // Read first, so that a settle with nothing new to say writes nothing
        // (the event feed settles before every read).
        let pending = try read { db in
            try db.query("SELECT document FROM conventions WHERE status = ? AND instr(document, '\"due_on\"') > 0 ORDER BY seq",
                         [ConventionStatus.inForce.rawValue]).map { row throws in try Convention(row: row) }
                .filter { convention in
                    try Self.overdueInstalments(of: convention, by: now.date).contains { item in
                        try db.queryOne("SELECT 1 FROM instalment_overdue_notices WHERE convention_id = ? AND contribution_id = ? AND due_on = ?",
                                        [convention.id, item.contribution, item.dueOn]) == nil
                    }
                }
                .map(\.id)
        }
        for id in pending {
            try write(change) { db, audit in
                // Judged again on the text as it now stands: a delivery recorded
                // since the read above covers what it covers.
                let convention = try fetchConvention(id, scope: .everything, db: db)
                guard convention.status == .inForce else { return }
                for item in Self.overdueInstalments(of: convention, by: now.date) {
                    try db.run("""
                        INSERT INTO instalment_overdue_notices (convention_id, contribution_id, due_on, noticed_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT DO NOTHING
                        """, [convention.id, item.contribution, item.dueOn, now.timestamp])
                    guard db.changes == 1 else { continue }
                    try audit.record("contribution.overdue", entityType: "convention", entityID: convention.id,
                                     changes: ["contribution_id": .string(item.contribution), "partner_id": .string(item.party),
                                               "due_on": .string(item.dueOn), "value_cents": .int(item.valueCents),
                                               "overdue_cents": .int(item.shortfall)],
                                     partners: convention.partnerIDs)
                }
            }
        }
    }

    /// The instalments of `convention` due by `today` that its deliveries do
    /// not cover, each with the shortfall on the pledge at its date.
    private static func overdueInstalments(of convention: Convention, by today: String)
        -> [(party: String, contribution: String, dueOn: String, valueCents: Int64, shortfall: Int64)] {
        var overdue: [(party: String, contribution: String, dueOn: String, valueCents: Int64, shortfall: Int64)] = []
        for party in convention.parties {
            for contribution in party.contributions {
                var cumulative: Int64 = 0
                for instalment in contribution.instalments where instalment.dueOn <= today {
                    cumulative += instalment.valueCents
                    if contribution.deliveredCents < cumulative {
                        overdue.append((party.partnerID, contribution.id, instalment.dueOn, instalment.valueCents, cumulative - contribution.deliveredCents))
                    }
                }
            }
        }
        return overdue
    }
}
