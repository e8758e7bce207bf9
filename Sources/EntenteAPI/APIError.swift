import HTTPServer
import JSON
import Registry

/// An error answer: RFC 9457 problem details with a stable `code`.
struct APIError: Error {
    let status: Int
    let code: String
    let detail: String
    var errors: [FieldError] = []
    var headers: HTTPHeaders = HTTPHeaders()

    static func badRequest(_ detail: String, errors: [FieldError] = []) -> APIError {
        APIError(status: 400, code: "bad_request", detail: detail, errors: errors)
    }

    static func forbidden(_ detail: String) -> APIError {
        APIError(status: 403, code: "forbidden", detail: detail)
    }

    static func notFound(_ detail: String) -> APIError {
        APIError(status: 404, code: "not_found", detail: detail)
    }

    static let unauthorized = APIError(
        status: 401, code: "unauthorized", detail: "A valid bearer token is required.",
        headers: HTTPHeaders([("WWW-Authenticate", "Bearer")])
    )

    init(status: Int, code: String, detail: String, errors: [FieldError] = [], headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    /// The problem for a registry refusal.
    init(_ error: RegistryError) {
        switch error {
        case .notFound(let detail): self.init(status: 404, code: "not_found", detail: detail)
        case .validation(let errors): self.init(status: 422, code: "validation_failed", detail: "The request has invalid fields.", errors: errors)
        case .duplicate(let detail): self.init(status: 409, code: "duplicate", detail: detail)
        case .inUse(let detail): self.init(status: 409, code: "in_use", detail: detail)
        case .invalidTransition(let detail): self.init(status: 409, code: "invalid_transition", detail: detail)
        case .conflict(let detail): self.init(status: 409, code: "conflict", detail: detail)
        case .preconditionFailed(let version):
            self.init(status: 412, code: "precondition_failed", detail: "If-Match does not name the current version (\(version)).",
                      headers: HTTPHeaders([("ETag", "\"\(version)\"")]))
        case .forbidden(let detail): self.init(status: 403, code: "forbidden", detail: detail)
        case .abandoned:
            self.init(status: 503, code: "unavailable", detail: "The computation was abandoned: its client went away.")
        case .storageUnavailable(let reason, _):
            // Nothing was written; the same request may succeed once the storage recovers.
            self.init(status: 503, code: "unavailable", detail: "The database cannot take this request right now: \(reason). Try again later.",
                      headers: HTTPHeaders([("Retry-After", "5")]))
        }
    }

    var response: HTTPResponse {
        var members: JSONObject = [:]
        if !errors.isEmpty {
            members["errors"] = .array(errors.map { .object(["field": .string($0.field), "message": .string($0.message)]) })
        }
        return HTTPResponse.problem(status: status, code: code, detail: detail, members: members, headers: headers)
    }
}
