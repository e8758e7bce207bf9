import HTTPServer
import JSON
import Registry

extension EntenteAPI {
    static func addAuditRoutes(to table: inout RouteTable) {
        table.add("GET", "/v1/audit", .read) { api, context in
            let filter = AuditFilter(entityType: try context.filter("entity_type", oneOf: AuditFilter.entityTypes), entityID: context.query["entity_id"], actor: context.query["actor"])
            return Responses.list(try api.registry.audit(filter, scope: context.scope, includeAdministration: context.isAdmin, page: try context.pageRequest()), context: context, AuditEntryPresenter.json)
        }
        table.add("GET", "/v1/events", .read) { api, context in
            var after: Int64 = 0
            if let raw = context.query["after"] ?? context.query["cursor"], !raw.isEmpty {
                guard let seq = Cursor.decode(raw) else {
                    throw APIError.badRequest("after is not a cursor from this server.", errors: [FieldError(field: "after", message: "not a cursor from this server")])
                }
                after = seq
            }
            let limit = try context.pageRequest().limit
            let (entries, cursor) = try api.registry.events(after: after, limit: limit, scope: context.scope, includeAdministration: context.isAdmin)
            return Responses.json(.object(["items": .array(entries.map { .object($0.event) }), "next_cursor": .string(Cursor.encode(cursor))]))
        }
    }
}
