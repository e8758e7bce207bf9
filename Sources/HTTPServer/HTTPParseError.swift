/// Why a request could not be read. The server answers `status` with a problem
/// document carrying `code`, then closes the connection: after a framing error
/// nothing later on the connection can be trusted (RFC 9112 §11.2).
public struct HTTPParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public let status: Int
    public let code: String
    public let detail: String

    public init(status: Int, code: String, detail: String) {
        self.status = status
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(status) \(code): \(detail)" }

    static func badRequest(_ detail: String) -> HTTPParseError {
        HTTPParseError(status: 400, code: "bad_request", detail: detail)
    }

    static let headTooLarge = HTTPParseError(status: 431, code: "header_too_large", detail: "The request head is larger than the server accepts.")
    static let bodyTooLarge = HTTPParseError(status: 413, code: "payload_too_large", detail: "The request body is larger than the server accepts.")
}
