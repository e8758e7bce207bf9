/// Runs complete requests through the responder on the worker pool and posts
/// the serialized answers back to the event loop.
struct RequestDispatcher: Sendable {
    let responder: any HTTPResponder
    let observer: any HTTPServerObserver
    let pool: WorkerPool
    let mailbox: Mailbox
    let state: ServerState

    func dispatch(_ request: HTTPRequest, connection id: UInt64) {
        pool.submit { [self] in
            let started = MonotonicClock.now()
            var request = request
            request.requestID = RequestID.resolve(request.headers["X-Request-Id"])
            let response = responder.respond(to: request)
            let keepAlive = request.keepAlive && !state.isDraining
            let bytes = ResponseSerializer.serialize(
                response, requestID: request.requestID, keepAlive: keepAlive,
                headOnly: request.method == "HEAD", http10KeepAlive: request.version == .http1_0
            )
            mailbox.post(.responded(connection: id, bytes: bytes, close: !keepAlive))
            record(method: request.method, response: response, requestID: request.requestID, started: started)
        }
    }

    func record(method: String, response: HTTPResponse, requestID: String, started: UInt64) {
        observer.requestCompleted(RequestRecord(
            method: method, route: response.route, status: response.status,
            durationSeconds: Double(MonotonicClock.now() - started) / 1e9,
            bytes: response.body.count, requestID: requestID
        ))
    }
}
