/// What the server hands complete requests to.
///
/// `respond(to:)` runs on a worker thread and may block (on the database,
/// say); it must not throw, so every failure becomes a response (a 500
/// problem at worst). A responder whose work is long and should not hold a
/// worker (a computation with its own threads) implements
/// `respond(to:completion:)` instead, hands the work over, and calls
/// `completion` exactly once, from any thread.
///
/// A request whose answer needs no waiting at all (a health check, a document
/// held in memory) can be answered by `respondOnEventLoop(to:)` on the event
/// loop itself, which then writes it without a hand-off to a worker and back.
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPRequest) -> HTTPResponse
    func respond(to request: HTTPRequest, completion: @escaping @Sendable (HTTPResponse) -> Void)
    /// The answer, when it can be given at once without blocking; nil sends
    /// the request to a worker (`respond(to:completion:)`). It runs on the
    /// event loop thread: anything slow here delays every connection.
    func respondOnEventLoop(to request: HTTPRequest) -> HTTPResponse?
}

extension HTTPResponder {
    public func respondOnEventLoop(to request: HTTPRequest) -> HTTPResponse? {
        nil
    }

    public func respond(to request: HTTPRequest, completion: @escaping @Sendable (HTTPResponse) -> Void) {
        completion(respond(to: request))
    }
}
