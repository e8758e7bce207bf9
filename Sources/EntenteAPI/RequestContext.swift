import Governance
import HTTPServer
import JSON
import Registry

/// Everything a handler knows about its request.
struct RequestContext {
    let request: HTTPRequest
    let parameters: [String: String]
    let query: QueryParameters
    /// nil on open routes only.
    let principal: Principal?
    /// When the request is handled, by the registry's clock.
    let now: Instant

    var scope: Scope { principal?.scope ?? .everything }

    /// Admins alone see API keys and webhooks, and the audit entries about them.
    var isAdmin: Bool { principal?.role == .admin }

    /// Stops a long computation once the client has gone.
    var cancellation: Cancellation {
        let client = request.client
        return Cancellation { client.isGone }
    }

    /// The audit context of a write made by this request.
    var change: ChangeContext {
        ChangeContext(actor: principal?.keyID ?? "anonymous", requestID: request.requestID, at: now)
    }

    /// The path parameter `name` of the route (`{id}`). A route that lacks it
    /// is a programming error, answered 500 and logged, never an empty id.
    func parameter(_ name: String) throws(MissingPathParameter) -> String {
        guard let value = parameters[name] else { throw MissingPathParameter(name: name, route: String(request.path)) }
        return value
    }

    /// The body as a JSON object: 415 for another media type, 400 for bad JSON,
    /// 422 when it is not an object. An empty body, untyped or typed JSON, is `{}`
    /// (action endpoints such as `submit` need none).
    func jsonBody() throws(APIError) -> JSONObject {
        let type = request.headers["Content-Type"]
        let isJSON = type.map { Self.isJSON($0, allowMergePatch: request.method == "PATCH") }
        if request.body.isEmpty && isJSON != false { return [:] }
        guard isJSON == true else {
            let accepted = request.method == "PATCH" ? "application/json or application/merge-patch+json" : "application/json"
            throw APIError(status: 415, code: "unsupported_media_type", detail: "Send the body as \(accepted).")
        }
        let value: JSON
        do {
            value = try JSON.parse(request.body)
        } catch {
            throw APIError(status: 400, code: "invalid_json", detail: "The body is not valid JSON: \(error)")
        }
        guard let object = value.objectValue else {
            throw APIError(status: 422, code: "validation_failed", detail: "The body must be a JSON object.",
                           errors: [FieldError(field: "body", message: "must be an object")])
        }
        return object
    }

    private static func isJSON(_ contentType: String, allowMergePatch: Bool) -> Bool {
        let media = contentType.split(separator: ";").first.map { $0.trimmingOWS().lowercased() } ?? ""
        return media == "application/json" || (allowMergePatch && media == "application/merge-patch+json")
    }

    /// The versions `If-Match` names: nil when absent or `*`; 412 when none can
    /// match. Its comparison is strong (RFC 9110 §13.1.1): a weak tag never matches.
    func ifMatch() throws(APIError) -> VersionPrecondition? {
        guard let header = request.headers["If-Match"] else { return nil }
        if header.trimmingOWS() == "*" { return nil }
        let versions = header.split(separator: ",").compactMap { Self.version(inETag: $0, allowWeak: false) }
        guard !versions.isEmpty else {
            throw APIError(status: 412, code: "precondition_failed", detail: "If-Match does not name a version of this resource.")
        }
        return VersionPrecondition(versions: versions)
    }

    /// Whether `If-None-Match` names `version` (or `*`); its comparison is weak.
    func ifNoneMatches(version: Int) -> Bool {
        guard let header = request.headers["If-None-Match"] else { return false }
        return header.split(separator: ",").contains { tag in
            tag.trimmingOWS() == "*" || Self.version(inETag: tag, allowWeak: true) == version
        }
    }

    static func version(inETag tag: Substring, allowWeak: Bool) -> Int? {
        var text = tag.trimmingOWS()[...]
        if text.hasPrefix("W/") {
            guard allowWeak else { return nil }
            text = text.dropFirst(2)
        }
        guard text.count >= 3, text.first == "\"", text.last == "\"" else { return nil }
        return Int(text.dropFirst().dropLast()).flatMap { $0 >= 1 ? $0 : nil }
    }

    /// `limit` and `cursor` (400 when malformed).
    func pageRequest() throws(APIError) -> PageRequest {
        var limit = 50
        if let raw = query["limit"] {
            guard let value = Int(raw), raw.allSatisfy(\.isASCIIDigit), (1...500).contains(value) else {
                throw .badRequest("limit must be an integer from 1 to 500.", errors: [FieldError(field: "limit", message: "an integer from 1 to 500")])
            }
            limit = value
        }
        var after: Int64 = 0
        if let raw = query["cursor"], !raw.isEmpty {
            guard let seq = Cursor.decode(raw) else {
                throw .badRequest("cursor is not one this server gave.", errors: [FieldError(field: "cursor", message: "not a cursor from this server")])
            }
            after = seq
        }
        // CSV is every matching row: no paging, so the cursor is checked but not applied.
        return wantsCSV ? PageRequest(unlimited: true) : PageRequest(limit: limit, after: after)
    }

    /// A filter that must be one of `allowed` (400 otherwise).
    func filter(_ name: String, oneOf allowed: [String]) throws(APIError) -> String? {
        guard let value = query[name] else { return nil }
        guard allowed.contains(value) else {
            throw .badRequest("\(name) must be one of \(allowed.joined(separator: ", ")).", errors: [FieldError(field: name, message: "one of " + allowed.joined(separator: ", "))])
        }
        return value
    }

    /// Whether the client asked for CSV (`Accept: text/csv`) rather than JSON.
    var wantsCSV: Bool { prefers("text/csv") }

    /// Whether the client asked for iCalendar (`Accept: text/calendar`) rather than JSON.
    var wantsCalendar: Bool { prefers(ICalendar.mediaType) }

    /// Whether `Accept` names `mediaType` before JSON (or without it).
    private func prefers(_ mediaType: String) -> Bool {
        guard let accept = request.headers["Accept"] else { return false }
        let types = accept.split(separator: ",").map { $0.split(separator: ";").first.map { $0.trimmingOWS().lowercased() } ?? "" }
        guard let wanted = types.firstIndex(of: mediaType) else { return false }
        let json = types.firstIndex { $0 == "application/json" || $0 == "*/*" }
        return json.map { wanted < $0 } ?? true
    }
}

/// A handler asked for a path parameter its route does not declare.
struct MissingPathParameter: Error, CustomStringConvertible {
    let name: String
    let route: String
    var description: String { "no path parameter {\(name)} on \(route)" }
}
