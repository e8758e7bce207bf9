import Dispatch
import Foundation
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
        // A peer that goes away mid-write must be an error code, not a signal that kills us.
        signal(SIGPIPE, SIG_IGN)
        let (listenerFD, port) = try Socket.listen(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        let mailbox = try Mailbox()
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
