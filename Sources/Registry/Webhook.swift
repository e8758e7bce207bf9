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

    public var json: JSONObject {
        ["id": .string(id), "url": .string(url), "events": .array(events.map(JSON.string)),
         "created_at": .string(createdAt), "updated_at": .string(updatedAt), "version": .int(Int64(version))]
    }

    init(row: Row) {
        id = row.string("id") ?? ""
        url = row.string("url") ?? ""
        events = (try? JSON.parse(row.string("events") ?? "[]"))?.arrayValue?.compactMap(\.stringValue) ?? []
        secret = row.string("secret") ?? ""
        createdAt = row.string("created_at") ?? ""
        updatedAt = row.string("updated_at") ?? ""
        version = Int(row.int("version") ?? 1)
    }
}

/// One delivery attempt, as listed under a webhook.
public struct Delivery: Sendable {
    public let json: JSONObject

    init(row: Row) {
        json = [
            "id": .string(row.string("id") ?? ""), "event_id": .string(row.string("event_id") ?? ""),
            "event_type": .string(row.string("event_type") ?? ""), "attempt": .int(row.int("attempt") ?? 0),
            "at": .string(row.string("at") ?? ""), "status_code": row.int("status_code").map(JSON.int) ?? .null,
            "error": row.string("error").json, "duration_ms": .int(row.int("duration_ms") ?? 0),
        ]
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
}
