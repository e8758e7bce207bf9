import JSON
import SQLite

/// A partner's record as a partner under one convention (API.md §14).
public struct Standing: Sendable {
    public let conventionID: String
    public let overdueCents: Int64
    public let overdueObligations: Int
    public let openNotices: Int
    public let defaulting: Bool
}

extension Registry {
    /// The partner's standing under each convention it is party to, oldest
    /// first, a page at a time; a partner key sees the conventions of its own world only.
    public func standing(partner partnerID: String, scope: Scope, page: PageRequest) throws -> Page<Standing> {
        let now = clock.now()
        return try read { db in
            _ = try fetchPartner(partnerID, db: db)
            var query = ListQuery("SELECT c.seq, c.document FROM conventions c")
            query.filter("EXISTS (SELECT 1 FROM convention_parties p WHERE p.convention_id = c.id AND p.partner_id = ?)", partnerID)
            query.filter(ScopeFilter.convention(scope, column: "c.id"))
            return page.page(try query.run(db, seqColumn: "c.seq", page: page).map { row in
                let convention = try Convention(row: row)
                let party = convention.parties.first { $0.partnerID == partnerID }
                let overdueObligations = try db.queryOne("""
                    SELECT count(*) AS n FROM obligations WHERE convention_id = ? AND partner_id = ? AND status = 'pending' AND due_on < ?
                    """, [convention.id, partnerID, now.date])?.int("n") ?? 0
                let openNotices = try db.queryOne("""
                    SELECT count(*) AS n FROM breach_notices WHERE convention_id = ? AND partner_id = ? AND status = 'open' AND cure_deadline >= ?
                    """, [convention.id, partnerID, now.timestamp])?.int("n") ?? 0
                return (try row.seq(), Standing(conventionID: convention.id,
                                                overdueCents: party?.overdueCents(by: convention.dueDate(on: now.date)) ?? 0,
                                                overdueObligations: Int(overdueObligations), openNotices: Int(openNotices),
                                                defaulting: try defaultingParties(convention.id, db: db).contains(partnerID)))
            })
        }
    }
}
