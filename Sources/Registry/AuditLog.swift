import JSON
import SQLite

/// Appends audit entries inside the transaction of the change they describe.
/// Entries are never edited or deleted (triggers in the schema refuse it).
struct AuditLog {
    let db: Connection
    let change: ChangeContext

    /// Records `action` on an entity; `partners` are the partners whose keys may see it.
    func record(_ action: String, entityType: String, entityID: String, changes: JSON, partners: [String]) throws {
        try db.run(
            "INSERT INTO audit (id, at, actor, action, entity_type, entity_id, request_id, changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [Identifier.make("aud"), change.at.timestamp, change.actor, action, entityType, entityID, change.requestID, changes.serialized()]
        )
        let seq = db.lastInsertRowID
        for partner in Set(partners) {
            try db.run("INSERT INTO audit_partners (audit_seq, partner_id) VALUES (?, ?)", [seq, partner])
        }
        try WebhookOutbox.enqueue(auditSeq: seq, db: db, at: change.at)
    }
}
