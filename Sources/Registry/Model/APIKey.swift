import JSON
import SQLite

/// The roles of API.md §2.
public enum Role: String, Sendable, CaseIterable {
    case admin, editor, reader, partner
}

/// Who a request acts as: resolved from its bearer token.
public struct Principal: Sendable, Equatable {
    public let keyID: String
    public let role: Role
    /// Set for `partner` keys only.
    public let partnerID: String?

    public init(keyID: String, role: Role, partnerID: String?) {
        self.keyID = keyID
        self.role = role
        self.partnerID = partnerID
    }

    /// The world this principal may read.
    public var scope: Scope {
        Scope(actingFor: partnerID)
    }
}

/// An API key as listed: never its token, which only its creation shows.
public struct APIKey: Sendable {
    public let id: String
    public let name: String
    public let role: Role
    public let partnerID: String?
    public let createdAt: String
    public let revokedAt: String?

    init(row: Row) throws(CorruptRecord) {
        let stored = StoredRecord(row: row, table: "api_keys")
        id = try stored.string("id")
        name = try stored.string("name")
        role = try stored.value("role")
        partnerID = try stored.optionalString("partner_id")
        createdAt = try stored.string("created_at")
        revokedAt = try stored.optionalString("revoked_at")
    }

    /// Revocation is the only change a key knows: version 2 and its time once revoked.
    public var version: Int { revokedAt == nil ? 1 : 2 }
    public var updatedAt: String { revokedAt ?? createdAt }

    /// What the audit entry `api_key.created` records (its `changes`): never the token.
    var auditRecord: JSONObject {
        ["id": .string(id), "name": .string(name), "role": .string(role.rawValue), "partner_id": partnerID.json,
         "created_at": .string(createdAt), "revoked_at": revokedAt.json]
    }
}
