import CLinux
import Timekeeping
#if canImport(Glibc)
import Glibc
#endif

/// The server's I/O thread: one epoll instance watching the listener, the
/// mailbox and every connection (edge-triggered, registered once per socket).
/// It accepts, reads, parses and writes; it never runs a handler, so a handler
/// blocked on the database cannot stall anyone's I/O. Idle connections cost a
/// `ClientConnection` object and a descriptor, not a thread.
final class EventLoop {
    private static let listenerToken: UInt64 = 0
    private static let mailboxToken: UInt64 = 1

    private let epollFD: Int32
    private var listenerFD: Int32
    private let mailbox: Mailbox
    private let configuration: ServerConfiguration
    private let dispatcher: RequestDispatcher
    private let state: ServerState

    private var connections: [UInt64: ClientConnection] = [:]
    private var nextID: UInt64 = 2
    private var scratch: UnsafeMutableRawBufferPointer
    private var draining = false
    private var drainDeadline: UInt64 = 0
    private var acceptPausedUntil: UInt64 = 0
    private let tickInterval: UInt64
    /// No connection's deadline passes before this: until then the periodic
    /// tick skips the scan of every connection, so thousands of idle
    /// connections cost nothing between their deadlines.
    private var earliestDeadline = UInt64.max
    private let refuser: ConnectionRefuser
    private let timeouts: ConnectionState.Timeouts

    init(listenerFD: Int32, mailbox: Mailbox, configuration: ServerConfiguration, dispatcher: RequestDispatcher, state: ServerState) throws {
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw SocketError(operation: "epoll_create1", errno: errno) }
        self.listenerFD = listenerFD
        self.mailbox = mailbox
        self.configuration = configuration
        self.dispatcher = dispatcher
        self.state = state
        refuser = ConnectionRefuser(observer: dispatcher.observer)
        timeouts = ConnectionState.Timeouts(head: configuration.headTimeout.nanoseconds, idle: configuration.idleTimeout.nanoseconds)
        scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        // Tick often enough that a timeout fires within a quarter of its length.
        let shortest = min(configuration.headTimeout.nanoseconds, configuration.idleTimeout.nanoseconds)
        tickInterval = min(max(shortest / 4, 5_000_000), 1_000_000_000)
        try watch(listenerFD, token: Self.listenerToken, events: EPOLLIN.rawValue)
        try watch(mailbox.eventFD, token: Self.mailboxToken, events: EPOLLIN.rawValue)
    }

    deinit {
        scratch.deallocate()
        close(epollFD)
    }

    /// Runs until shutdown has drained every connection (or its grace ran out).
    func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 512)
        var nextTick = MonotonicClock.now() + tickInterval
        while true {
            let timeout = Int32(max(1, (nextTick &- min(nextTick, MonotonicClock.now())) / 1_000_000))
            let count = epoll_wait(epollFD, &events, Int32(events.count), timeout)
            if count < 0 && errno != EINTR { break }
            for index in 0..<max(0, Int(count)) {
                let event = events[index]
                switch event.data.u64 {
                case Self.listenerToken: acceptConnections()
                case Self.mailboxToken: handleMessages()
                default:
                    guard let connection = connections[event.data.u64] else { continue }
                    if event.events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
                        connection.readable = true
                    }
                    if event.events & (EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
                        connection.hungUp = true
                        // Gone while its request is with a handler: long work may stop.
                        connection.state.client?.markGone()
                    }
                    if event.events & (EPOLLOUT.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
                        connection.writable = true
                    }
                    service(connection)
                }
            }
            let now = MonotonicClock.now()
            if now >= nextTick {
                resumeAcceptingIfDue(now: now)
                refuser.report(now: now)
                if now >= earliestDeadline { sweep(now: now) }
                nextTick = now + tickInterval
            }
            dispatcher.observer.flush()
            if draining && (connections.isEmpty || now >= drainDeadline) { break }
        }
        for connection in Array(connections.values) {
            if connection.state.owesShutdownAnswer(midRequest: connection.parser.isMidRequest, hasPendingOutput: connection.hasPendingOutput) {
                // Its request never finished arriving within the grace: say so rather than vanish.
                let response = HTTPResponse.problem(status: 503, code: "unavailable", detail: "The server is shutting down; send the request again.",
                                                    headers: HTTPHeaders([("Retry-After", "1")]))
                connection.queue(ResponseSerializer.serialize(response, requestID: RequestID.generate(), keepAlive: false, headOnly: false))
                _ = connection.flush()
            }
            closeConnection(connection)
        }
        dispatcher.observer.flush()
        if listenerFD >= 0 { close(listenerFD) }
    }

    // MARK: - Accepting

    private func acceptConnections() {
        while !draining {
            let accepted: (fd: Int32, address: String)?
            do {
                accepted = try Socket.accept(listenerFD)
            } catch let error as SocketError where error.errno == EMFILE || error.errno == ENFILE {
                switch refuser.refuseWithSpareDescriptor(listener: listenerFD) {
                case .refused: continue
                case .nonePending: return
                case .noSpare:
                    // Not even the spare: stop listening for a moment rather than
                    // spin on a listener that stays readable.
                    pauseAccepting()
                    return
                }
            } catch {
                pauseAccepting()
                return
            }
            guard let (fd, address) = accepted else { return }
            guard connections.count < configuration.maxConnections else {
                refuser.refuse(fd, .connectionLimit)
                continue
            }
            let lifecycle = ConnectionState(now: MonotonicClock.now(), timeouts: timeouts)
            let connection = ClientConnection(id: nextID, fd: fd, clientAddress: address, limits: configuration.limits, state: lifecycle)
            nextID += 1
            do {
                try watch(fd, token: connection.id, events: EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue)
            } catch {
                close(fd)
                continue
            }
            connections[connection.id] = connection
            noteDeadline(of: connection)
            state.connectionOpened()
        }
    }

    private func pauseAccepting() {
        var event = epoll_event(events: 0, data: epoll_data_t(u64: Self.listenerToken))
        epoll_ctl(epollFD, EPOLL_CTL_MOD, listenerFD, &event)
        acceptPausedUntil = MonotonicClock.now() + 100_000_000
    }

    private func resumeAcceptingIfDue(now: UInt64) {
        guard acceptPausedUntil != 0, now >= acceptPausedUntil, !draining else { return }
        acceptPausedUntil = 0
        var event = epoll_event(events: EPOLLIN.rawValue, data: epoll_data_t(u64: Self.listenerToken))
        epoll_ctl(epollFD, EPOLL_CTL_MOD, listenerFD, &event)
    }

    // MARK: - Reading, parsing, writing

    /// Moves a connection forward as far as it can go without blocking:
    /// writes what is pending, then reads and answers requests until one goes
    /// to a worker or the socket has nothing more.
    private func service(_ connection: ClientConnection) {
        // Every event that moves a deadline ends here, whichever way it leaves.
        defer { noteDeadline(of: connection) }
        while true {
            if connection.hasPendingOutput {
                guard connection.writable else { return }
                guard connection.flush() else { return closeConnection(connection) }
                if connection.hasPendingOutput { return }
            }
            switch connection.state.afterOutputWritten() {
            case .waitForHandler: return
            case .close: return closeConnection(connection)
            case .parse: break
            }
            guard let answer = readAndDispatch(connection) else { return }
            connection.queue(answer.bytes)
            connection.state.responded(now: MonotonicClock.now(), close: answer.close || draining, hasBufferedBytes: connection.parser.bufferedByteCount > 0)
        }
    }

    /// Parses the next request, reading as needed, and dispatches it: its
    /// answer when the responder gave it on the spot; nil when it went to a
    /// worker, when the socket ran dry, or when the connection failed or closed.
    private func readAndDispatch(_ connection: ClientConnection) -> RequestDispatcher.Answer? {
        while true {
            let event: RequestParser.Event
            do {
                event = try connection.parser.next()
            } catch {
                fail(connection, with: error)
                return nil
            }
            switch event {
            case .request(var request):
                request.clientAddress = connection.clientAddress
                connection.state.requestDispatched(client: request.client)
                return dispatcher.dispatch(request, connection: connection.id)
            case .continueExpected:
                connection.queue(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
                guard connection.flush() else {
                    closeConnection(connection)
                    return nil
                }
            case .needMoreData:
                switch connection.state.needMoreData(readable: connection.readable) {
                case .close:
                    closeConnection(connection)
                    return nil
                case .waitForReadable: return nil
                case .read: break
                }
                let wasMidRequest = connection.parser.isMidRequest
                switch connection.readOnce(into: scratch) {
                case .bytes:
                    connection.state.bytesRead(now: MonotonicClock.now(), wasMidRequest: wasMidRequest, readingBody: connection.parser.isReadingBody)
                case .wouldBlock:
                    connection.readable = false
                    return nil
                case .endOfStream:
                    connection.state.peerClosedItsSide()
                case .failed:
                    closeConnection(connection)
                    return nil
                }
            }
        }
    }

    /// Answers a request that could not be read, then closes the connection.
    private func fail(_ connection: ClientConnection, with error: HTTPParseError) {
        let response = HTTPResponse.problem(status: error.status, code: error.code, detail: error.detail)
        let requestID = RequestID.generate()
        connection.queue(ResponseSerializer.serialize(response, requestID: requestID, keepAlive: false, headOnly: false))
        connection.state.parseFailed(now: MonotonicClock.now())
        dispatcher.record(method: "-", response: response, requestID: requestID, started: MonotonicClock.now())
        service(connection)
    }

    private func handleMessages() {
        for message in mailbox.drain() {
            switch message {
            case .responded(let id, let bytes, let close):
                guard let connection = connections[id] else { continue }
                connection.queue(bytes)
                connection.state.responded(now: MonotonicClock.now(), close: close || draining, hasBufferedBytes: connection.parser.bufferedByteCount > 0)
                service(connection)
            case .shutdown:
                beginDraining()
            }
        }
    }

    private func beginDraining() {
        guard !draining else { return }
        draining = true
        state.beginDraining()
        drainDeadline = MonotonicClock.now() + configuration.shutdownGrace.nanoseconds
        epoll_ctl(epollFD, EPOLL_CTL_DEL, listenerFD, nil)
        close(listenerFD)
        listenerFD = -1
        for connection in Array(connections.values) {
            switch connection.state.drainBegan(hasPendingOutput: connection.hasPendingOutput, midRequest: connection.parser.isMidRequest) {
            case .closeAfterAnswer, .letRequestFinish:
                // A half-received request is answered with `Connection: close`
                // like every answer while draining.
                continue
            case .closeNow:
                closeConnection(connection)
            }
        }
    }

    /// Lowers `earliestDeadline` to a connection's deadline: on accept, and
    /// as `service` returns (0 while a handler has the request: no timer).
    private func noteDeadline(of connection: ClientConnection) {
        let deadline = connection.state.deadline
        if deadline != 0 && deadline < earliestDeadline { earliestDeadline = deadline }
    }

    /// Closes connections whose head, body, idle or write deadline has passed,
    /// and finds the earliest deadline of those that stay.
    private func sweep(now: UInt64) {
        earliestDeadline = .max
        // Collected first: acting on one changes the dictionary being walked.
        var lateAnswers: [ClientConnection] = []
        var toClose: [ClientConnection] = []
        for connection in connections.values {
            switch connection.state.sweep(now: now, midRequest: connection.parser.isMidRequest, hasPendingOutput: connection.hasPendingOutput) {
            case .none: noteDeadline(of: connection)
            case .answerTimeout: lateAnswers.append(connection)
            case .close: toClose.append(connection)
            }
        }
        for connection in lateAnswers {
            fail(connection, with: .timeout)
            if connections[connection.id] != nil { closeConnection(connection) }
        }
        toClose.forEach(closeConnection)
    }

    private func closeConnection(_ connection: ClientConnection) {
        guard connections.removeValue(forKey: connection.id) != nil else { return }
        connection.state.client?.markGone()
        // Closing the descriptor removes it from the epoll set; it was registered once
        // and never re-registered, so a reused descriptor number starts clean.
        close(connection.fd)
        state.connectionClosed()
    }

    private func watch(_ fd: Int32, token: UInt64, events: UInt32) throws {
        var event = epoll_event(events: events, data: epoll_data_t(u64: token))
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else {
            throw SocketError(operation: "epoll_ctl", errno: errno)
        }
    }
}
