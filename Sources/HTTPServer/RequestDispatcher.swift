import Timekeeping

/// Answers complete requests: on the event loop when the responder can answer
/// at once, otherwise through the responder on the worker pool, posting the
/// serialized answer back to the event loop.
struct RequestDispatcher: Sendable {
    let responder: any HTTPResponder
    let observer: any HTTPServerObserver
    let pools: WorkerPools
    let mailbox: Mailbox
    let state: ServerState

    /// A request's answer as the event loop writes it.
    struct Answer {
        let bytes: [UInt8]
        let close: Bool
    }

    /// Called on the event loop: the answer when the responder gave it at
    /// once, or nil when the request went to a worker (its answer comes
    /// through the mailbox).
    func dispatch(_ request: HTTPRequest, connection id: UInt64) -> Answer? {
        let started = MonotonicClock.now()
        var request = request
        request.requestID = RequestID.resolve(request.headers["X-Request-Id"])
        if let response = responder.respondOnEventLoop(to: request) {
            return answer(request, with: response, started: started)
        }
        let answered = request
        pools.pool(for: answered.method).submit { [self] in
            let started = MonotonicClock.now()
            responder.respond(to: answered) { response in
                // Logged before it is posted, so the loop's flush after this round writes its line.
                let answer = answer(answered, with: response, started: started)
                mailbox.post(.responded(connection: id, bytes: answer.bytes, close: answer.close))
                // While draining the loop may have flushed for the last time.
                if state.isDraining { observer.flush() }
            }
        }
        return nil
    }

    private func answer(_ request: HTTPRequest, with response: HTTPResponse, started: UInt64) -> Answer {
        let keepAlive = request.keepAlive && !state.isDraining
        let bytes = ResponseSerializer.serialize(
            response, requestID: request.requestID, keepAlive: keepAlive,
            headOnly: request.method == "HEAD", http10KeepAlive: request.version == .http1_0
        )
        record(method: request.method, response: response, requestID: request.requestID, started: started)
        return Answer(bytes: bytes, close: !keepAlive)
    }

    func record(method: String, response: HTTPResponse, requestID: String, started: UInt64) {
        observer.requestCompleted(RequestRecord(
            method: method, route: response.route, status: response.status,
            durationSeconds: Double(MonotonicClock.now() - started) / 1e9,
            bytes: response.body.count, requestID: requestID
        ))
    }
}
