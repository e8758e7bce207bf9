import JSON
import Registry

/// The wire shape of one webhook delivery attempt (API.md §11).
enum DeliveryPresenter {
    static func json(_ delivery: Delivery) -> JSONObject {
        ["id": .string(delivery.id), "event_id": .string(delivery.eventID), "event_type": .string(delivery.eventType),
         "attempt": .int(Int64(delivery.attempt)), "at": .string(delivery.at),
         "status_code": delivery.statusCode.map { .int(Int64($0)) } ?? .null, "error": delivery.error.map(JSON.string) ?? .null,
         "duration_ms": .int(Int64(delivery.durationMS))]
    }
}
