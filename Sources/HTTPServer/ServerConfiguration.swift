/// How the server listens and the limits it enforces (API.md §10).
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 binds any free port (tests); `HTTPServer.port` tells which.
    public var port: Int
    public var limits: RequestParser.Limits
    /// From a connection's first byte of a request (or its opening) to the end of the head.
    public var headTimeout: Duration
    /// How long a keep-alive connection may wait for its next request.
    public var idleTimeout: Duration
    /// How long shutdown waits for requests in flight before closing everything.
    public var shutdownGrace: Duration
    /// Threads that run the handlers of requests with a safe method (GET,
    /// HEAD, OPTIONS: RFC 9110 §9.2.1), which may block on the database but
    /// mostly compute: few threads serve them first come, first served,
    /// rather than slicing the CPU between many.
    public var workerThreads: Int
    /// Threads that run the handlers of the other methods, which change
    /// things and mostly wait: a write waiting for its group commit holds
    /// one, so more of them make larger batches per WAL sync.
    public var writeWorkerThreads: Int
    public var backlog: Int32
    /// Connections open at once; one more is answered 503 and closed at accept.
    public var maxConnections: Int

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        limits: RequestParser.Limits = .init(),
        headTimeout: Duration = .seconds(10),
        idleTimeout: Duration = .seconds(60),
        shutdownGrace: Duration = .seconds(10),
        workerThreads: Int = 8,
        writeWorkerThreads: Int = 24,
        backlog: Int32 = 4096,
        maxConnections: Int = 16_384
    ) {
        self.host = host
        self.port = port
        self.limits = limits
        self.headTimeout = headTimeout
        self.idleTimeout = idleTimeout
        self.shutdownGrace = shutdownGrace
        self.workerThreads = workerThreads
        self.writeWorkerThreads = writeWorkerThreads
        self.backlog = backlog
        self.maxConnections = maxConnections
    }
}

extension Duration {
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }
}
