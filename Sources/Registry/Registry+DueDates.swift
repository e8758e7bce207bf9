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
        let scheduled = try read { db in
            try db.query("SELECT document FROM conventions WHERE status = ? AND instr(document, '\"due_on\"') > 0 ORDER BY seq",
                         [ConventionStatus.inForce.rawValue]).map { row throws in try Convention(row: row) }
        }
        for convention in scheduled {
            var overdue: [(party: String, contribution: Contribution, instalment: Instalment, shortfall: Int64)] = []
            for party in convention.parties {
                for contribution in party.contributions {
                    var cumulative: Int64 = 0
                    for instalment in contribution.instalments where instalment.dueOn <= now.date {
                        cumulative += instalment.valueCents
                        if contribution.deliveredCents < cumulative {
                            overdue.append((party.partnerID, contribution, instalment, cumulative - contribution.deliveredCents))
                        }
                    }
                }
            }
            guard !overdue.isEmpty else { continue }
            try write(change) { db, audit in
                for item in overdue {
                    try db.run("""
                        INSERT INTO instalment_overdue_notices (convention_id, contribution_id, due_on, noticed_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT DO NOTHING
                        """, [convention.id, item.contribution.id, item.instalment.dueOn, now.timestamp])
                    guard db.changes == 1 else { continue }
                    try audit.record("contribution.overdue", entityType: "convention", entityID: convention.id,
                                     changes: ["contribution_id": .string(item.contribution.id), "partner_id": .string(item.party),
                                               "due_on": .string(item.instalment.dueOn), "value_cents": .int(item.instalment.valueCents),
                                               "overdue_cents": .int(item.shortfall)],
                                     partners: convention.partnerIDs)
                }
            }
        }
    }
}
