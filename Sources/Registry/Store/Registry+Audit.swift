import JSON
import SQLite

/// One audit entry, which is also an event (API.md §9, §11).
public struct AuditEntry: Sendable {
    public let seq: Int64
    public let id: String
    public let at: String
    public let actor: String
    public let action: String
    public let entityType: String
    public let entityID: String
    public let requestID: String
    public let changes: JSON

    /// The event form: `{id, type, at, data}`.
    public var event: JSONObject {
        ["id": .string(id), "type": .string(action), "at": .string(at),
         "data": ["entity_type": .string(entityType), "entity_id": .string(entityID), "actor": .string(actor), "request_id": .string(requestID), "changes": changes]]
    }

    init(seq: Int64, id: String, at: String, actor: String, action: String, entityType: String, entityID: String, requestID: String, changes: JSON) {
        self.seq = seq
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.requestID = requestID
        self.changes = changes
    }

    init(row: Row) throws(CorruptRecord) {
        let stored = StoredRecord(row: row, table: "audit")
        seq = try stored.int("seq")
        id = try stored.string("id")
        at = try stored.string("at")
        actor = try stored.string("actor")
        action = try stored.string("action")
        entityType = try stored.string("entity_type")
        entityID = try stored.string("entity_id")
        requestID = try stored.string("request_id")
        changes = try stored.parsedJSON("changes")
    }
}

/// Filters of `GET /v1/audit`.
public struct AuditFilter: Sendable {
    /// Every `entity_type` an entry can have: any other filter value is a client's mistake.
    public static let entityTypes = [
        "partner", "person", "project", "convention", "decision", "obligation", "breach_notice", "meeting", "indicator", "api_key", "webhook",
    ]

    public var entityType: String?
    public var entityID: String?
    public var actor: String?

    public init(entityType: String? = nil, entityID: String? = nil, actor: String? = nil) {
        self.entityType = entityType
        self.entityID = entityID
        self.actor = actor
    }
}

extension Registry {
    /// Newest first. Entries about API keys and webhooks are for admins only
    /// (`includeAdministration`), like the resources themselves.
    public func audit(_ filter: AuditFilter, scope: Scope, includeAdministration: Bool, page: PageRequest) throws -> Page<AuditEntry> {
        try recordWhatTimeMadeTrue()
        return try read { db in
            var query = ListQuery("SELECT * FROM audit")
            query.filter(ScopeFilter.audit(scope, column: "audit.seq"))
            if !includeAdministration { query.filter("entity_type NOT IN ('api_key', 'webhook')") }
            if let type = filter.entityType { query.filter("entity_type = ?", type) }
            if let id = filter.entityID { query.filter("entity_id = ?", id) }
            if let actor = filter.actor { query.filter("actor = ?", actor) }
            let rows = try query.run(db, seqColumn: "seq", page: page, descending: true)
            return page.page(try rows.map { row throws in (try row.seq(), try AuditEntry(row: row)) })
        }
    }

    /// Oldest first after `after`; the cursor never goes back to null, so a
    /// poller always has a place to resume.
    public func events(after: Int64, limit: Int, scope: Scope, includeAdministration: Bool) throws -> (entries: [AuditEntry], cursor: Int64) {
        try recordWhatTimeMadeTrue()
        return try read { db in
            var query = ListQuery("SELECT * FROM audit")
            query.filter(ScopeFilter.audit(scope, column: "audit.seq"))
            if !includeAdministration { query.filter("entity_type NOT IN ('api_key', 'webhook')") }
            // A page of `limit - 1` asks SQLite for `limit` rows: here no row is kept to look ahead.
            let rows = try query.run(db, seqColumn: "seq", page: PageRequest(limit: limit - 1, after: after))
            let entries = try rows.prefix(limit).map { row throws in try AuditEntry(row: row) }
            return (Array(entries), entries.last?.seq ?? after)
        }
    }

    /// Records, before a feed is read, what reads already show because time
    /// passed (decisions closed at `closes_at`, minutes approved, due dates),
    /// so that a poller never sees a state whose event is still to come.
    private func recordWhatTimeMadeTrue() throws {
        try closeDueDecisions()
        try approveDueMinutes()
        try settleDueDates()
    }
}
