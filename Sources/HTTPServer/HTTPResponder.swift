/// What the server hands complete requests to.
///
/// `respond(to:)` runs on a worker thread and may block (on the database,
/// say); it must not throw, so every failure becomes a response (a 500
/// problem at worst). A responder whose work is long and should not hold a
/// worker (a computation with its own threads) implements
/// `respond(to:completion:)` instead, hands the work over, and calls
/// `completion` exactly once, from any thread.
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPRequest) -> HTTPResponse
    func respond(to request: HTTPRequest, completion: @escaping @Sendable (HTTPResponse) -> Void)
}

extension HTTPResponder {
    public func respond(to request: HTTPRequest, completion: @escaping @Sendable (HTTPResponse) -> Void) {
        completion(respond(to: request))
    }
}
