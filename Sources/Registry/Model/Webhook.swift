import JSON
import SQLite

/// A webhook registration (API.md §11). Its secret signs deliveries and is never served.
public struct Webhook: Sendable {
    public let id: String
    public let url: String
    public let events: [String]
    let secret: String
    public let createdAt: String
    public let updatedAt: String
    public let version: Int

    /// What the audit entries `webhook.created` and `webhook.deleted` record
    /// (their `changes`): never the secret.
    var auditRecord: JSONObject {
        ["id": .string(id), "url": .string(url), "events": .array(events.map(JSON.string)),
         "created_at": .string(createdAt), "updated_at": .string(updatedAt), "version": .int(Int64(version))]
    }

    init(row: Row) throws(CorruptRecord) {
        let stored = StoredRecord(row: row, table: "webhooks")
        id = try stored.string("id")
        url = try stored.string("url")
        events = try stored.parsedStrings("events")
        secret = try stored.string("secret")
        createdAt = try stored.string("created_at")
        updatedAt = try stored.string("updated_at")
        version = Int(try stored.int("version"))
    }
}

/// One delivery attempt, as listed under a webhook.
public struct Delivery: Sendable {
    public let id: String
    public let eventID: String
    public let eventType: String
    /// 1 for the first attempt.
    public let attempt: Int
    public let at: String
    /// The receiver's HTTP status; `nil` when it did not answer.
    public let statusCode: Int?
    public let error: String?
    public let durationMS: Int

    init(row: Row) throws(CorruptRecord) {
        let stored = StoredRecord(row: row, table: "webhook_deliveries")
        id = try stored.string("id")
        eventID = try stored.string("event_id")
        eventType = try stored.string("event_type")
        attempt = Int(try stored.int("attempt"))
        at = try stored.string("at")
        statusCode = try stored.optionalInt("status_code").map { Int($0) }
        error = try stored.optionalString("error")
        durationMS = Int(try stored.int("duration_ms"))
    }
}

/// An event waiting in the outbox for one webhook.
public struct PendingDelivery: Sendable {
    public let outboxSeq: Int64
    public let webhookID: String
    public let url: String
    public let secret: String
    public let eventID: String
    public let eventType: String
    public let payload: String
    /// Attempts already made.
    public let attempts: Int

    init(row: Row) throws(CorruptRecord) {
        let stored = StoredRecord(row: row, table: "webhook_outbox")
        outboxSeq = try stored.int("seq")
        webhookID = try stored.string("webhook_id")
        url = try stored.string("url")
        secret = try stored.string("secret")
        eventID = try stored.string("event_id")
        eventType = try stored.string("event_type")
        payload = try stored.string("payload")
        attempts = Int(try stored.int("attempts"))
    }
}
