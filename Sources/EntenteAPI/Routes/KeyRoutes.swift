import HTTPServer
import JSON
import Registry

extension EntenteAPI {
    static func addKeyRoutes(to table: inout RouteTable) {
        table.add("POST", "/v1/api-keys", .admin) { api, context in
            let (key, token) = try api.registry.createKey(try context.jsonBody(), change: context.change)
            return Responses.created(APIKeyPresenter.json(key, token: token), version: key.version, location: "/v1/api-keys/\(key.id)", context: context)
        }
        table.add("GET", "/v1/api-keys", .admin) { api, context in
            Responses.list(try api.registry.keys(page: try context.pageRequest()), context: context) { APIKeyPresenter.json($0) }
        }
        table.add("GET", "/v1/api-keys/{id}", .admin) { api, context in
            let key = try api.registry.key(context.parameter("id"))
            return Responses.resource(APIKeyPresenter.json(key), version: key.version, context: context)
        }
        table.add("DELETE", "/v1/api-keys/{id}", .admin) { api, context in
            try api.registry.revokeKey(context.parameter("id"), change: context.change)
            api.authenticator.invalidate()
            return Responses.noContent()
        }
    }
}
