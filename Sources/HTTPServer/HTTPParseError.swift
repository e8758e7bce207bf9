/// Why a request could not be read. The server answers `status` with a problem
/// document carrying `code`, then closes the connection: after a framing error
/// nothing later on the connection can be trusted (RFC 9112 §11.2).
public struct HTTPParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Which rule the input broke: one case per rejection, so tests can say which.
    public enum Reason: String, Sendable, CaseIterable {
        // The request line (400, or 505 for the version).
        case malformedRequestLine, bareCRInRequestLine, invalidTarget, unsupportedVersion
        // Header fields (400), and the head's size (431).
        case bareLineFeed, obsoleteLineFolding, headerWithoutColon, emptyHeaderName, whitespaceBeforeColon
        case invalidHeaderName, bareCRInHeaderValue, controlCharacterInHeaderValue, headTooLarge
        // Framing (400; 501 for a transfer coding other than chunked).
        case contentLengthWithTransferEncoding, transferEncodingInHTTP10, lastCodingNotChunked, chunkedTwice
        case unsupportedTransferCoding, invalidContentLength, conflictingContentLengths
        // Chunked bodies (400), and the body's size (413).
        case chunkDataWithoutCRLF, lineTooLong, lineWithoutCRLF, missingChunkSize, chunkSizeNotHexadecimal
        case chunkSizeOverflow, controlCharacterInChunkExtension, bodyTooLarge
        // Time (408).
        case timeout

        var status: Int {
            switch self {
            case .unsupportedVersion: 505
            case .headTooLarge: 431
            case .bodyTooLarge: 413
            case .unsupportedTransferCoding: 501
            case .timeout: 408
            default: 400
            }
        }

        var code: String {
            switch self {
            case .unsupportedVersion: "http_version_not_supported"
            case .headTooLarge: "header_too_large"
            case .bodyTooLarge: "payload_too_large"
            case .unsupportedTransferCoding: "not_implemented"
            case .timeout: "request_timeout"
            default: "bad_request"
            }
        }
    }

    public let reason: Reason
    public let detail: String
    public var status: Int { reason.status }
    public var code: String { reason.code }

    public init(_ reason: Reason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "\(status) \(code) (\(reason.rawValue)): \(detail)" }

    static let headTooLarge = HTTPParseError(.headTooLarge, "The request head is larger than the server accepts.")
    static let bodyTooLarge = HTTPParseError(.bodyTooLarge, "The request body is larger than the server accepts.")
    static let timeout = HTTPParseError(.timeout, "The request did not arrive in time.")
}
