import JSON
import SQLite

/// Appends audit entries inside the transaction of the change they describe.
/// Entries are never edited or deleted (triggers in the schema refuse it).
/// Each entry is also an event: webhooks that want it get it queued here, in
/// the same transaction.
struct AuditLog {
    let db: Connection
    let change: ChangeContext

    /// Records `action` on an entity; `partners` are the partners whose keys may see it.
    func record(_ action: String, entityType: String, entityID: String, changes: JSON, partners: [String]) throws {
        assert(EventTypes.all.contains(action), "\(action) is not listed in EventTypes.all")
        let id = Identifier.make("aud")
        let changesText = changes.serialized()
        try db.run(
            "INSERT INTO audit (id, at, actor, action, entity_type, entity_id, request_id, changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [id, change.at.timestamp, change.actor, action, entityType, entityID, change.requestID, changesText]
        )
        let seq = db.lastInsertRowID
        for partner in Set(partners) {
            try db.run("INSERT INTO audit_partners (audit_seq, partner_id) VALUES (?, ?)", [seq, partner])
        }
        let subscribers = try db.query(
            "SELECT id FROM webhooks WHERE EXISTS (SELECT 1 FROM json_each(webhooks.events) WHERE value IN (?, '*'))", [action]
        )
        guard !subscribers.isEmpty else { return }
        let entry = AuditEntry(seq: seq, id: id, at: change.at.timestamp, actor: change.actor, action: action, entityType: entityType,
                               entityID: entityID, requestID: change.requestID, changes: changes)
        let payload = JSON.object(entry.event).serialized()
        for subscriber in subscribers {
            try db.run(
                "INSERT INTO webhook_outbox (webhook_id, event_id, event_type, payload, next_attempt_at) VALUES (?, ?, ?, ?, ?)",
                [subscriber.string("id"), id, action, payload, Double(change.at.epochSeconds)]
            )
        }
    }
}
