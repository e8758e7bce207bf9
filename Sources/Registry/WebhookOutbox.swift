import JSON
import SQLite

/// Queues an event for every webhook that wants it, inside the transaction
/// that records the event: either the change, its audit entry and its
/// deliveries-to-be all commit, or none does.
enum WebhookOutbox {
    static func enqueue(auditSeq: Int64, db: Connection, at: Instant) throws {
        guard let row = try db.queryOne("SELECT * FROM audit WHERE seq = ?", [auditSeq]) else { return }
        let entry = AuditEntry(row: row)
        let payload = JSON.object(entry.event).serialized()
        try db.run("""
            INSERT INTO webhook_outbox (webhook_id, event_id, event_type, payload, next_attempt_at)
            SELECT id, ?, ?, ?, ? FROM webhooks
            WHERE EXISTS (SELECT 1 FROM json_each(webhooks.events) WHERE value IN (?, '*'))
            """, [entry.id, entry.action, payload, Double(at.epochSeconds), entry.action])
    }
}
