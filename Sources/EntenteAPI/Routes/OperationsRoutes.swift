import HTTPServer
import JSON

extension EntenteAPI {
    static func addOperationsRoutes(to table: inout RouteTable) {
        let healthy = Responses.json(["status": "ok"])
        table.add("GET", "/healthz", .open, lane: .eventLoop) { _, _ in healthy }
        table.add("GET", "/readyz", .open) { api, _ in
            api.registry.isReady()
                ? Responses.json(["status": "ok"])
                : APIError(status: 503, code: "unavailable", detail: "The database does not answer.").response
        }
        table.add("GET", "/metrics", .open) { api, _ in
            HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/plain; version=0.0.4; charset=utf-8")]),
                         body: Array(api.metrics.render(database: api.registry.timings).utf8))
        }
        table.add("GET", "/openapi.yaml", .open, lane: .eventLoop) { api, _ in
            HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/yaml; charset=utf-8")]), body: api.openAPIDocument)
        }
    }
}
