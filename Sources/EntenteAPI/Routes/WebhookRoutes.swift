import HTTPServer
import JSON
import Registry

extension EntenteAPI {
    static func addWebhookRoutes(to table: inout RouteTable) {
        table.add("POST", "/v1/webhooks", .admin) { api, context in
            let webhook = try api.registry.createWebhook(try context.jsonBody(), change: context.change)
            return Responses.created(WebhookPresenter.json(webhook), version: webhook.version, location: "/v1/webhooks/\(webhook.id)", context: context)
        }
        table.add("GET", "/v1/webhooks", .admin) { api, context in
            Responses.list(try api.registry.webhooks(page: try context.pageRequest()), context: context, WebhookPresenter.json)
        }
        table.add("GET", "/v1/webhooks/{id}", .admin) { api, context in
            let webhook = try api.registry.webhook(context.parameter("id"))
            return Responses.resource(WebhookPresenter.json(webhook), version: webhook.version, context: context)
        }
        table.add("DELETE", "/v1/webhooks/{id}", .admin) { api, context in
            try api.registry.deleteWebhook(context.parameter("id"), ifMatch: try context.ifMatch(), change: context.change)
            return Responses.noContent()
        }
        table.add("GET", "/v1/webhooks/{id}/deliveries", .admin) { api, context in
            Responses.list(try api.registry.deliveries(webhook: context.parameter("id"), page: try context.pageRequest()), context: context, DeliveryPresenter.json)
        }
    }
}
