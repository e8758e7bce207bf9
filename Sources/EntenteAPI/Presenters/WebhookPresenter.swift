import JSON
import Registry

/// The wire shape of a webhook registration (API.md §11): never its secret.
/// Its deliveries are `DeliveryPresenter`'s.
enum WebhookPresenter {
    static func json(_ webhook: Webhook) -> JSONObject {
        ["id": .string(webhook.id), "url": .string(webhook.url), "events": .array(webhook.events.map(JSON.string)),
         "created_at": .string(webhook.createdAt), "updated_at": .string(webhook.updatedAt), "version": .int(Int64(webhook.version))]
    }
}
