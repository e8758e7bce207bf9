/// What the server hands complete requests to. `respond` runs on a worker
/// thread and may block (on the database, say); it must not throw, so every
/// failure becomes a response (a 500 problem at worst).
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPRequest) -> HTTPResponse
}
