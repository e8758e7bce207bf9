import Registry

/// What a route requires of its caller. The router enforces it before any
/// handler runs, so no handler repeats role checks (API.md §2).
enum Access: Sendable, Equatable {
    /// No token (`/healthz`, `/readyz`, `/metrics`, `/openapi.yaml`).
    case open
    /// Any valid key; partner keys see only their world (scoped queries).
    case read
    /// Admin and editor keys: create and change registry resources.
    case write
    /// Admin and editor keys, and partner keys acting for their own partner
    /// (signatures, votes, measurements: the handler names the partner).
    case partnerAction
    /// Admin keys only: API keys and webhooks, reads included.
    case admin

    func allows(_ role: Role) -> Bool {
        switch self {
        case .open, .read: true
        case .write: role == .admin || role == .editor
        case .partnerAction: role != .reader
        case .admin: role == .admin
        }
    }
}
