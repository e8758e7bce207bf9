/// One answered request, as logs and metrics see it.
public struct RequestRecord: Sendable {
    public var method: String
    /// The route template (`/v1/partners/{id}`), nil when no route matched.
    public var route: String?
    public var status: Int
    public var durationSeconds: Double
    /// Bytes of the response body.
    public var bytes: Int
    public var requestID: String
}

/// Why the server turned connections away at accept.
public enum ConnectionRefusal: String, Sendable {
    /// `ServerConfiguration.maxConnections` were already open.
    case connectionLimit = "connection_limit"
    /// The process or the system ran out of file descriptors (EMFILE/ENFILE).
    case outOfDescriptors = "out_of_descriptors"
}

/// Told about every answered request, on the thread that answered it, and
/// about connections refused at accept (summed, at most once a second).
/// `flush` comes from the event loop after each round of events, and when
/// the server stops: an observer that batches its output writes it then.
public protocol HTTPServerObserver: Sendable {
    func requestCompleted(_ record: RequestRecord)
    func connectionsRefused(_ reason: ConnectionRefusal, count: Int)
    func flush()
}

extension HTTPServerObserver {
    public func connectionsRefused(_ reason: ConnectionRefusal, count: Int) {}
    public func flush() {}
}

/// Several observers as one (the access log and the metrics, say).
public struct ObserverGroup: HTTPServerObserver {
    public let observers: [any HTTPServerObserver]

    public init(_ observers: [any HTTPServerObserver]) {
        self.observers = observers
    }

    public func requestCompleted(_ record: RequestRecord) {
        for observer in observers { observer.requestCompleted(record) }
    }

    public func connectionsRefused(_ reason: ConnectionRefusal, count: Int) {
        for observer in observers { observer.connectionsRefused(reason, count: count) }
    }

    public func flush() {
        for observer in observers { observer.flush() }
    }
}
