import JSON
import Registry

/// The wire shape of an audit entry in `GET /v1/audit` (API.md §9). The
/// event form webhooks carry is the registry's (`AuditEntry.event`): it is
/// stored in the outbox with the change, before any delivery.
enum AuditEntryPresenter {
    static func json(_ entry: AuditEntry) -> JSONObject {
        ["id": .string(entry.id), "at": .string(entry.at), "actor": .string(entry.actor), "action": .string(entry.action),
         "entity_type": .string(entry.entityType), "entity_id": .string(entry.entityID), "request_id": .string(entry.requestID),
         "changes": entry.changes]
    }
}
