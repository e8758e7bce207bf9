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

/// Told about every answered request, on the thread that answered it.
public protocol HTTPServerObserver: Sendable {
    func requestCompleted(_ record: RequestRecord)
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
}
