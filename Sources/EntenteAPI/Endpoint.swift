import HTTPServer
import Registry

/// A route's handler and what it requires of the caller.
struct Endpoint: Sendable {
    typealias Handler = @Sendable (EntenteAPI, RequestContext) throws -> HTTPResponse

    let access: Access
    /// What `{id}` names, for the 404-or-403 rule of refused partner keys.
    let resource: ScopedResource?
    /// Where the handler runs.
    let lane: Lane
    let handler: Handler

    /// The thread a route's handler runs on.
    enum Lane: Sendable {
        /// On the event loop, answered as soon as it is parsed: for handlers
        /// that answer from memory in microseconds (no database, no file, no
        /// lock, no work that grows with the data), so they cannot stall the
        /// other connections. It spares the hand-off to a worker and back.
        case eventLoop
        /// On a request worker, free to block on the database.
        case worker
        /// Long computation (power indices): in the governance lane, so it never holds a request worker.
        case governance
    }
}

/// Collects routes; each `Routes` file adds its own.
struct RouteTable {
    private(set) var router = Router<Endpoint>()
    /// The paths of event-loop routes: the loop looks a request up here
    /// before routing it, so requests for a worker cost it one set lookup.
    private(set) var eventLoopPaths: Set<Substring> = []

    mutating func add(_ method: String, _ path: String, _ access: Access, resource: ScopedResource? = nil, lane: Endpoint.Lane = .worker,
                      _ handler: @escaping Endpoint.Handler) {
        if lane == .eventLoop {
            precondition(!path.contains("{"), "an event-loop route has no parameters: \(path)")
            eventLoopPaths.insert(Substring(path))
        }
        router.add(method, path, Endpoint(access: access, resource: resource, lane: lane, handler: handler))
    }
}
