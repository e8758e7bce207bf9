/// A field at fault in a request body or query, with what is wrong with it.
public struct FieldError: Sendable, Equatable {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// Why the registry refused a change or a read. Each case maps to one HTTP
/// status and one stable problem `code` in the API layer.
public enum RegistryError: Error, Sendable, Equatable {
    /// 404: no such resource, or none the caller may see.
    case notFound(String)
    /// 422: the input breaks field rules (all of them listed).
    case validation([FieldError])
    /// 409 `duplicate`.
    case duplicate(String)
    /// 409 `in_use`.
    case inUse(String)
    /// 409 `invalid_transition`.
    case invalidTransition(String)
    /// 409 `conflict`.
    case conflict(String)
    /// 412: `If-Match` named another version.
    case preconditionFailed(currentVersion: Int)
    /// 403: the caller's role or partner may not do this.
    case forbidden(String)
    /// 503: the storage cannot take the work right now (full disk, read-only
    /// file, I/O error); nothing was written. `reason` is for clients,
    /// `underlying` (SQLite's own words and statement) for the log only.
    case storageUnavailable(reason: String, underlying: String)
    /// 503: the computation was stopped because its client went away.
    case abandoned

    static func invalid(_ field: String, _ message: String) -> RegistryError {
        .validation([FieldError(field: field, message: message)])
    }
}
