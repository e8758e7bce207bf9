/// A complete HTTP request as the parser delivers it: head and whole body.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The request target as sent (`/v1/partners?limit=5`).
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The id that the response, the access log and the audit trail share
    /// (the client's `X-Request-Id` when well formed, else one made here).
    public var requestID: String = ""
    /// The peer's address (IPv4 or IPv6 text), used for per-client limits.
    public var clientAddress: String = ""
    /// Whether the client is still there to read the answer.
    public var client = ClientPresence()

    public init(method: String, target: String, version: HTTPVersion, headers: HTTPHeaders, body: [UInt8] = []) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
    }

    /// The path part of the target, before any `?`.
    public var path: Substring {
        target.firstIndex(of: "?").map { target[..<$0] } ?? target[...]
    }

    /// The raw query string after `?`, if any.
    public var query: Substring? {
        target.firstIndex(of: "?").map { target[target.index(after: $0)...] }
    }

    /// Whether the connection may carry another request after this one
    /// (RFC 9112 §9.3: 1.1 persists unless `close`; 1.0 only with `keep-alive`).
    public var keepAlive: Bool {
        if headers.hasToken("close", in: "Connection") { return false }
        return version == .http1_1 || headers.hasToken("keep-alive", in: "Connection")
    }
}

/// The HTTP versions this server speaks.
public enum HTTPVersion: Sendable, Equatable {
    case http1_0, http1_1
}
