/// A response a responder hands back to the server. The server adds
/// `Content-Length`, `Date`, `X-Request-Id` and `Connection`.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The route template that served the request (`/v1/partners/{id}`), for
    /// logs and metrics; nil when no route matched.
    public var route: String?

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], route: String? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.route = route
    }

    /// An RFC 9457 problem document (`application/problem+json`) with a stable
    /// machine-readable `code`.
    public static func problem(status: Int, code: String, detail: String, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = headers
        headers.set("Content-Type", "application/problem+json")
        let title = HTTPStatus.reason(status)
        let json = "{\"status\":\(status),\"code\":\(jsonQuoted(code)),\"title\":\(jsonQuoted(title)),\"detail\":\(jsonQuoted(detail))}\n"
        return HTTPResponse(status: status, headers: headers, body: Array(json.utf8))
    }
}

/// `s` as a JSON string literal: enough JSON for the transport's own problem documents and log lines.
func jsonQuoted(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
