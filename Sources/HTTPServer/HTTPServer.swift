import Dispatch
import Foundation
import Locks
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A running HTTP/1.1 server: one event-loop thread for all sockets (which
/// also answers what a responder can answer at once) and two fixed pools of
/// worker threads for handlers, one for reads and one for writes.
///
///     let server = try HTTPServer.start(configuration: config, responder: api)
///     server.shutdown()          // e.g. from a SIGTERM handler
///     server.waitUntilStopped()
public final class HTTPServer: Sendable {
    /// The port actually bound (useful with port 0).
    public let port: Int
    private let mailbox: Mailbox
    private let state: ServerState
    private let pools: WorkerPools
    private let stopped = DispatchSemaphore(value: 0)

    private init(port: Int, mailbox: Mailbox, state: ServerState, pools: WorkerPools) {
        self.port = port
        self.mailbox = mailbox
        self.state = state
        self.pools = pools
    }

    /// Binds, then serves on background threads until `shutdown()`.
    public static func start(
        configuration: ServerConfiguration,
        responder: any HTTPResponder,
        observer: any HTTPServerObserver = AccessLog()
    ) throws -> HTTPServer {
        try start(listener: HTTPListener.bind(configuration), configuration: configuration, responder: responder, observer: observer)
    }

    /// Serves `listener` (bound with the same configuration) on background
    /// threads until `shutdown()`; connections that waited in its backlog are
    /// served first. On failure the listener is closed.
    public static func start(
        listener: HTTPListener,
        configuration: ServerConfiguration,
        responder: any HTTPResponder,
        observer: any HTTPServerObserver = AccessLog()
    ) throws -> HTTPServer {
        // A peer that goes away mid-write must be an error code, not a signal that kills us.
        signal(SIGPIPE, SIG_IGN)
        let (listenerFD, port) = (listener.take(), listener.port)
        let mailbox: Mailbox
        do {
            mailbox = try Mailbox()
        } catch {
            close(listenerFD)
            throw error
        }
        let state = ServerState()
        let pools = WorkerPools(
            reads: WorkerPool(threads: configuration.workerThreads, name: "entente-worker"),
            writes: WorkerPool(threads: configuration.writeWorkerThreads, name: "entente-writer")
        )
        let dispatcher = RequestDispatcher(responder: responder, observer: observer, pools: pools, mailbox: mailbox, state: state)
        let loop: EventLoop
        do {
            loop = try EventLoop(listenerFD: listenerFD, mailbox: mailbox, configuration: configuration, dispatcher: dispatcher, state: state)
        } catch {
            close(listenerFD)
            pools.stop()
            throw error
        }
        let server = HTTPServer(port: port, mailbox: mailbox, state: state, pools: pools)
        let box = LoopHandoff(loop)
        let thread = Thread { [server] in
            box.take().run()
            server.pools.stop()
            server.stopped.signal()
        }
        thread.name = "entente-event-loop"
        thread.start()
        return server
    }

    /// Stops accepting, lets requests in flight finish (within the configured
    /// grace), then closes every connection. Returns at once.
    public func shutdown() {
        mailbox.post(.shutdown)
    }

    /// Blocks until the server has stopped after `shutdown()`.
    public func waitUntilStopped() {
        stopped.wait()
        stopped.signal()
    }

    /// Connections open right now (for metrics).
    public var openConnections: Int { state.openConnections }
}

/// A bound, listening socket that nobody serves yet: connections wait in the
/// kernel's backlog until `HTTPServer.start(listener:…)`. Binding first tells
/// at once whether the address is free, before work that should happen only
/// when it is, and serving only afterwards means no request is answered
/// before that work is done (`entente serve` makes the first admin key there).
public final class HTTPListener: Sendable {
    /// The port actually bound (useful with port 0).
    public let port: Int
    private let descriptor: Locked<Int32?>

    private init(fd: Int32, port: Int) {
        self.port = port
        descriptor = Locked(fd)
    }

    /// Binds and listens on `configuration.host` and `configuration.port`.
    public static func bind(_ configuration: ServerConfiguration) throws -> HTTPListener {
        let (fd, port) = try Socket.listen(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        return HTTPListener(fd: fd, port: port)
    }

    /// Closes the socket unserved: waiting connections are reset. Idempotent.
    public func close() {
        if let fd = descriptor.withLock({ $0.take() }) { Glibc.close(fd) }
    }

    /// Hands the socket to the server that serves it, once.
    func take() -> Int32 {
        guard let fd = descriptor.withLock({ $0.take() }) else { preconditionFailure("an HTTPListener is served once, and not after close()") }
        return fd
    }
}

/// State shared between the loop, the workers and readers such as metrics.
final class ServerState: Sendable {
    private let connections = Atomic<Int>(0)
    private let draining = Atomic<Bool>(false)

    /// Once set, answers carry `Connection: close`.
    var isDraining: Bool { draining.load(ordering: .relaxed) }
    func beginDraining() { draining.store(true, ordering: .relaxed) }

    var openConnections: Int { connections.load(ordering: .relaxed) }
    func connectionOpened() { connections.add(1, ordering: .relaxed) }
    func connectionClosed() { connections.subtract(1, ordering: .relaxed) }
}

/// Hands the event loop, which is not Sendable, to the thread that runs it.
/// Safe because the creating thread gives it up here and never touches it again:
/// only the loop thread calls `take()`, once.
private final class LoopHandoff: @unchecked Sendable {
    private var loop: EventLoop?
    init(_ loop: EventLoop) { self.loop = loop }
    func take() -> EventLoop {
        defer { loop = nil }
        return loop!
    }
}
