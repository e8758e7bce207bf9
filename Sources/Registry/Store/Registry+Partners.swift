import JSON
import SQLite

/// Filters of `GET /v1/partners`.
public struct PartnerFilter: Sendable {
    public var kind: String?
    public var country: String?
    public var q: String?

    public init(kind: String? = nil, country: String? = nil, q: String? = nil) {
        self.kind = kind
        self.country = country
        self.q = q
    }
}

extension Registry {
    public func createPartner(_ fields: JSONObject, change: ChangeContext) throws -> Partner {
        let partner = try Partner(id: Identifier.make("ptn"), fields: fields, createdAt: change.at.timestamp, updatedAt: change.at.timestamp, version: 1)
        return try write(change) { db, audit in
            try insertOrUpdate(partner, db: db, inserting: true)
            try audit.record("partner.created", entityType: "partner", entityID: partner.id, changes: .object(partner.auditRecord), partners: [partner.id])
            return partner
        }
    }

    /// The partner directory is readable by every key, partner keys included.
    public func partner(_ id: String) throws -> Partner {
        try read { db in try fetchPartner(id, db: db) }
    }

    public func partners(_ filter: PartnerFilter, page: PageRequest) throws -> Page<Partner> {
        try read { db in
            var query = ListQuery("SELECT * FROM partners")
            if let kind = filter.kind { query.filter("kind = ?", kind) }
            if let country = filter.country { query.filter("country = ?", country) }
            if let q = filter.q, !q.isEmpty {
                // Case-insensitive substring match on the Unicode-lowercased name key.
                query.filter("instr(name_key, ?) > 0", q.lowercased())
            }
            let rows = try query.run(db, seqColumn: "seq", page: page)
            return page.page(try rows.map { row throws in (try row.seq(), try Partner(row: row)) })
        }
    }

    public func updatePartner(_ id: String, patch: JSONObject, ifMatch: VersionPrecondition?, change: ChangeContext) throws -> Partner {
        try write(change) { db, audit in
            let current = try fetchPartner(id, db: db)
            try checkVersion(ifMatch, current: current.version)
            let merged = JSON.object(current.writableJSON).mergePatched(with: .object(patch)).objectValue ?? [:]
            let updated = try Partner(id: id, fields: merged, createdAt: current.createdAt, updatedAt: change.at.timestamp, version: current.version + 1)
            try insertOrUpdate(updated, db: db, inserting: false)
            try audit.record("partner.updated", entityType: "partner", entityID: id, changes: .object(patch), partners: [id])
            return updated
        }
    }

    public func deletePartner(_ id: String, ifMatch: VersionPrecondition?, change: ChangeContext) throws {
        try write(change) { db, audit in
            let current = try fetchPartner(id, db: db)
            try checkVersion(ifMatch, current: current.version)
            let used = try db.queryOne("""
                SELECT 1 FROM convention_parties WHERE partner_id = ?1
                UNION ALL SELECT 1 FROM project_partners WHERE partner_id = ?1
                UNION ALL SELECT 1 FROM party_defaults WHERE partner_id = ?1
                UNION ALL SELECT 1 FROM obligations WHERE partner_id = ?1
                UNION ALL SELECT 1 FROM breach_notices WHERE partner_id = ?1
                LIMIT 1
                """, [id])
            if used != nil {
                throw RegistryError.inUse("The partner is party to a convention, takes part in a project, or owes an obligation.")
            }
            // The partner's own keys go with it: a key bound to no partner could do nothing.
            let keys = try db.query("SELECT id FROM api_keys WHERE partner_id = ?", [id]).compactMap { $0.string("id") }
            try db.run("DELETE FROM api_keys WHERE partner_id = ?", [id])
            // People stay; their affiliations to this partner go.
            let people = try removeAffiliations(to: id, change: change, db: db)
            try db.run("DELETE FROM partners WHERE id = ?", [id])
            var changes = current.auditRecord
            if !keys.isEmpty { changes["api_keys_removed"] = .array(keys.map(JSON.string)) }
            if !people.isEmpty { changes["affiliations_removed"] = .array(people.map(JSON.string)) }
            try audit.record("partner.deleted", entityType: "partner", entityID: id, changes: .object(changes), partners: [id])
        }
    }

    func fetchPartner(_ id: String, db: Connection) throws -> Partner {
        guard let row = try db.queryOne("SELECT * FROM partners WHERE id = ?", [id]) else {
            throw RegistryError.notFound("No partner \(id).")
        }
        return try Partner(row: row)
    }

    private func insertOrUpdate(_ partner: Partner, db: Connection, inserting: Bool) throws {
        let values: [any SQLiteBindable] = [
            partner.name, partner.nameKey, partner.kind, partner.legalName, partner.country, partner.city,
            partner.website, partner.email, JSON.array(partner.expertise.map(JSON.string)).serialized(),
            partner.description, partner.updatedAt, partner.version, partner.id,
        ]
        do {
            if inserting {
                try db.run("""
                    INSERT INTO partners (name, name_key, kind, legal_name, country, city, website, email, expertise, description, updated_at, version, id, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, values + [partner.createdAt])
            } else {
                try db.run("""
                    UPDATE partners SET name = ?, name_key = ?, kind = ?, legal_name = ?, country = ?, city = ?, website = ?,
                    email = ?, expertise = ?, description = ?, updated_at = ?, version = ? WHERE id = ?
                    """, values)
            }
        } catch let error as SQLiteError where error.isUniqueViolation {
            throw RegistryError.duplicate("A partner with this name and country already exists.")
        }
    }
}
