/// The lifecycle of one client connection, apart from its I/O: its phase,
/// whether the peer has closed its side, and when its timer runs out. Each
/// event the event loop sees goes through one method, which moves the state
/// and, where the loop has a choice to make, returns the action to take (in
/// the way of swift-nio's state machines). The loop performs the actions; it
/// keeps no lifecycle flags of its own.
struct ConnectionState {
    enum Phase: Equatable {
        /// Waiting for a request, or reading one.
        case reading
        /// A request is with a handler: nothing more is read or parsed until it
        /// answers, which answers pipelined requests in order and bounds what
        /// one client can buffer.
        case handling
        /// Close once the pending output is written (an error, `Connection:
        /// close`, HTTP/1.0, shutdown).
        case closing
    }

    /// How long a request may take to arrive, and a connection may stay idle.
    struct Timeouts: Equatable {
        var head: UInt64
        var idle: UInt64
    }

    private(set) var phase = Phase.reading
    /// The peer closed its side: finish what is in flight, then close.
    private(set) var peerClosed = false
    /// Monotonic nanoseconds after which the timeout sweep acts; 0 while handling.
    private(set) var deadline: UInt64
    /// The presence flag of the request being handled, marked gone if the peer leaves meanwhile.
    private(set) var client: ClientPresence?
    let timeouts: Timeouts

    /// A connection just accepted: the head timer runs.
    init(now: UInt64, timeouts: Timeouts) {
        self.timeouts = timeouts
        deadline = now + timeouts.head
    }

    var isHandling: Bool { phase == .handling }

    // MARK: - Servicing

    /// What to do once the pending output is written.
    enum NextStep: Equatable {
        /// A handler has the request: wait for its answer.
        case waitForHandler
        case close
        /// Parse what is buffered, reading more if needed.
        case parse
    }

    func afterOutputWritten() -> NextStep {
        switch phase {
        case .handling: .waitForHandler
        case .closing: .close
        case .reading: .parse
        }
    }

    /// What to do when the parser needs more bytes.
    enum NeedMoreData: Equatable {
        /// The peer has gone: nothing more will come.
        case close
        /// The socket has nothing now; wait for the next readiness event.
        case waitForReadable
        case read
    }

    func needMoreData(readable: Bool) -> NeedMoreData {
        if peerClosed { return .close }
        return readable ? .read : .waitForReadable
    }

    // MARK: - Events

    /// A complete request went to a handler: its timer stops.
    mutating func requestDispatched(client: ClientPresence) {
        phase = .handling
        self.client = client
        deadline = 0
    }

    /// Bytes arrived. The head timer starts with a request's first byte; while
    /// the body comes, any progress keeps the connection alive.
    mutating func bytesRead(now: UInt64, wasMidRequest: Bool, readingBody: Bool) {
        if !wasMidRequest || readingBody { deadline = now + timeouts.head }
    }

    mutating func peerClosedItsSide() {
        peerClosed = true
    }

    /// A request could not be read: its problem document goes out, then the connection closes.
    mutating func parseFailed(now: UInt64) {
        phase = .closing
        deadline = now + timeouts.idle
    }

    /// The handler answered. The connection closes after the answer when asked
    /// to (or while draining); otherwise the head timer runs if a pipelined
    /// request is already buffered, the idle timer if not.
    mutating func responded(now: UInt64, close: Bool, hasBufferedBytes: Bool) {
        phase = close ? .closing : .reading
        client = nil
        deadline = now + (hasBufferedBytes ? timeouts.head : timeouts.idle)
    }

    /// What draining does to this connection.
    enum DrainAction: Equatable {
        /// Its answer (in flight or being written) goes out with `Connection: close`.
        case closeAfterAnswer
        /// Half received: let it finish within the grace.
        case letRequestFinish
        case closeNow
    }

    mutating func drainBegan(hasPendingOutput: Bool, midRequest: Bool) -> DrainAction {
        if phase == .handling || hasPendingOutput {
            if phase != .handling { phase = .closing }
            return .closeAfterAnswer
        }
        return midRequest ? .letRequestFinish : .closeNow
    }

    /// What the timeout sweep does to this connection at `now`.
    enum SweepAction: Equatable {
        case none
        /// A request was arriving too slowly: answer 408, then close.
        case answerTimeout
        case close
    }

    func sweep(now: UInt64, midRequest: Bool, hasPendingOutput: Bool) -> SweepAction {
        guard phase != .handling, deadline != 0, now >= deadline else { return .none }
        return midRequest && !hasPendingOutput && phase != .closing ? .answerTimeout : .close
    }

    /// Whether a request still arriving when the server stops gets a 503 rather than silence.
    func owesShutdownAnswer(midRequest: Bool, hasPendingOutput: Bool) -> Bool {
        phase != .handling && midRequest && !hasPendingOutput
    }
}
