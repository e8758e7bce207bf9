import Timekeeping

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
            let answered = request
            responder.respond(to: request) { response in
                let keepAlive = answered.keepAlive && !state.isDraining
                let bytes = ResponseSerializer.serialize(
                    response, requestID: answered.requestID, keepAlive: keepAlive,
                    headOnly: answered.method == "HEAD", http10KeepAlive: answered.version == .http1_0
                )
                mailbox.post(.responded(connection: id, bytes: bytes, close: !keepAlive))
                record(method: answered.method, response: response, requestID: answered.requestID, started: started)
            }
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
