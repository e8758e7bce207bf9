import JSON

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
    /// machine-readable `code`: `status`, `code`, `title`, `detail`, then
    /// `members` (the API adds `errors` there). The one place a problem
    /// document is written, by the transport and by the API alike.
    public static func problem(status: Int, code: String, detail: String, members: JSONObject = [:],
                               headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = headers
        headers.set("Content-Type", "application/problem+json")
        var document: JSONObject = [
            "status": .int(Int64(status)), "code": .string(code), "title": .string(HTTPStatus.reason(status)), "detail": .string(detail),
        ]
        for (key, value) in members { document[key] = value }
        var body: [UInt8] = []
        JSON.object(document).write(to: &body)
        body.append(UInt8(ascii: "\n"))
        return HTTPResponse(status: status, headers: headers, body: body)
    }
}
