import HTTPServer
import JSON
import Registry

extension EntenteAPI {
    static func addKeyRoutes(to table: inout RouteTable) {
        table.add("POST", "/v1/api-keys", .admin) { api, context in
            let (key, token) = try api.registry.createKey(try context.jsonBody(), change: context.change)
            return Responses.json(.object(APIKeyPresenter.json(key, token: token)), status: 201, headers: HTTPHeaders([("Location", "/v1/api-keys/\(key.id)")]))
        }
        table.add("GET", "/v1/api-keys", .admin) { api, context in
            Responses.list(try api.registry.keys(page: try context.pageRequest()), context: context) { APIKeyPresenter.json($0) }
        }
        table.add("DELETE", "/v1/api-keys/{id}", .admin) { api, context in
            try api.registry.revokeKey(context.parameter("id"), change: context.change)
            api.authenticator.invalidate()
            return Responses.noContent()
        }
    }
}
