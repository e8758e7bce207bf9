import HTTPServer
import Registry

/// A route's handler and what it requires of the caller.
struct Endpoint: Sendable {
    typealias Handler = @Sendable (EntenteAPI, RequestContext) throws -> HTTPResponse

    let access: Access
    /// What `{id}` names, for the 404-or-403 rule of refused partner keys.
    let resource: ScopedResource?
    /// Long computation (power indices): run in the governance lane, not on a request worker.
    let heavy: Bool
    let handler: Handler
}

/// Collects routes; each `Routes` file adds its own.
struct RouteTable {
    private(set) var router = Router<Endpoint>()

    mutating func add(_ method: String, _ path: String, _ access: Access, resource: ScopedResource? = nil, heavy: Bool = false,
                      _ handler: @escaping Endpoint.Handler) {
        router.add(method, path, Endpoint(access: access, resource: resource, heavy: heavy, handler: handler))
    }
}
