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
    /// The event-loop routes (GET, no parameters) by path: the loop finds
    /// them with one lookup, and requests for a worker cost it only that.
    private(set) var eventLoopRoutes: [Substring: Endpoint] = [:]

    mutating func add(_ method: String, _ path: String, _ access: Access, resource: ScopedResource? = nil, lane: Endpoint.Lane = .worker,
                      _ handler: @escaping Endpoint.Handler) {
        let endpoint = Endpoint(access: access, resource: resource, lane: lane, handler: handler)
        if lane == .eventLoop {
            precondition(method == "GET" && !path.contains("{"), "an event-loop route is a GET without parameters: \(path)")
            eventLoopRoutes[Substring(path)] = endpoint
        }
        router.add(method, path, endpoint)
    }
}
