import Digest
import JSON
import SQLite

extension Registry {
    /// Creates a key and returns it with its token, the only time the token is seen.
    public func createKey(_ fields: JSONObject, change: ChangeContext) throws -> (key: APIKey, token: String) {
        var reader = FieldReader(fields, allowed: ["name", "role", "partner_id"])
        let name = reader.string("name", required: true, maxLength: 200, trimmed: true)
        let role = reader.oneOf("role", Role.allCases.map(\.rawValue), required: true).flatMap(Role.init)
        let partnerID = reader.string("partner_id")
        if role == .partner && partnerID == nil { reader.fail("partner_id", "required for the partner role") }
        if let role, role != .partner, partnerID != nil { reader.fail("partner_id", "only partner keys are bound to a partner") }
        try reader.check()
        return try insertKey(name: name!, role: role!, partnerID: partnerID, token: SecureRandom.token(), change: change)
    }

    /// Creates a key outside any request (CLI, bootstrap, `ENTENTE_ADMIN_KEY`).
    public func createKey(name: String, role: Role, partnerID: String?, token: String = SecureRandom.token()) throws -> (key: APIKey, token: String) {
        try insertKey(name: name, role: role, partnerID: partnerID, token: token, change: ChangeContext(actor: "system", requestID: "cli"))
    }

    public func keys(page: PageRequest) throws -> Page<APIKey> {
        try read { db in
            let rows = try ListQuery("SELECT * FROM api_keys").run(db, seqColumn: "seq", page: page)
            return page.page(try rows.map { row throws in (try row.seq(), try APIKey(row: row)) })
        }
    }

    /// One key, revoked or not (its token is never stored, so never shown).
    public func key(_ id: String) throws -> APIKey {
        try read { db in
            guard let row = try db.queryOne("SELECT * FROM api_keys WHERE id = ?", [id]) else { throw RegistryError.notFound("No API key \(id).") }
            return try APIKey(row: row)
        }
    }

    public func revokeKey(_ id: String, change: ChangeContext) throws {
        try write(change) { db, audit in
            guard try db.queryOne("SELECT 1 FROM api_keys WHERE id = ? AND revoked_at IS NULL", [id]) != nil else {
                throw RegistryError.notFound("No active API key \(id).")
            }
            try db.run("UPDATE api_keys SET revoked_at = ? WHERE id = ?", [change.at.timestamp, id])
            try audit.record("api_key.revoked", entityType: "api_key", entityID: id, changes: [:], partners: [])
        }
    }

    /// How many keys exist, revoked ones included (bootstrap runs only on an empty table).
    public func keyCount() throws -> Int {
        try read { db in Int(try db.queryOne("SELECT count(*) AS n FROM api_keys")?.int("n") ?? 0) }
    }

    /// Whether a key with this token exists, and whether it was revoked
    /// (`ENTENTE_ADMIN_KEY` seeds once, and never brings a revoked key back).
    public func keyState(token: String) throws -> (exists: Bool, revoked: Bool) {
        try read { db in
            guard let row = try db.queryOne("SELECT revoked_at FROM api_keys WHERE token_hash = ?", [SHA256.hash(Array(token.utf8))]) else {
                return (false, false)
            }
            return (true, row.string("revoked_at") != nil)
        }
    }

    /// The principal of an active key whose token hashes to `hash`. The row is
    /// found through the unique index on the hash; the stored hash is then
    /// compared in constant time.
    public func principal(forTokenHash hash: [UInt8]) throws -> Principal? {
        try read { db in
            guard let row = try db.queryOne("SELECT id, role, partner_id, token_hash FROM api_keys WHERE token_hash = ? AND revoked_at IS NULL", [hash]),
                  let storedHash = row.bytes("token_hash"), ConstantTime.equal(storedHash, hash)
            else { return nil }
            let stored = StoredRecord(row: row, table: "api_keys")
            return Principal(keyID: try stored.string("id"), role: try stored.value("role"), partnerID: try stored.optionalString("partner_id"))
        }
    }

    /// The one way a key is made: its partner checked, the token's hash stored, the creation audited.
    private func insertKey(name: String, role: Role, partnerID: String?, token: String, change: ChangeContext) throws -> (key: APIKey, token: String) {
        try write(change) { db, audit in
            if let partnerID, try db.queryOne("SELECT 1 FROM partners WHERE id = ?", [partnerID]) == nil {
                throw RegistryError.invalid("partner_id", "no such partner")
            }
            let id = Identifier.make("key")
            try db.run(
                "INSERT INTO api_keys (id, name, role, partner_id, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                [id, name, role.rawValue, partnerID, SHA256.hash(Array(token.utf8)), change.at.timestamp]
            )
            let key = try APIKey(row: try db.queryOne("SELECT * FROM api_keys WHERE id = ?", [id])!)
            try audit.record("api_key.created", entityType: "api_key", entityID: key.id, changes: .object(key.auditRecord), partners: [])
            return (key, token)
        }
    }
}
