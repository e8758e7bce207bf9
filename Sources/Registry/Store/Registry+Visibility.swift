import SQLite

/// A resource a route names by `{id}`, so a refused partner key learns
/// nothing: out of its scope the answer is 404, inside it 403.
public enum ScopedResource: Sendable {
    case project, convention, decision, indicator, person, obligation, breachNotice, meeting

    /// The table holding it, and its scope condition.
    fileprivate var lookup: (table: String, condition: (Scope) -> ScopeFilter.Condition?) {
        switch self {
        case .project: ("projects", { ScopeFilter.project($0, column: "projects.id") })
        case .convention: ("conventions", { ScopeFilter.convention($0, column: "conventions.id") })
        case .decision: ("decisions", { ScopeFilter.convention($0, column: "decisions.convention_id") })
        case .indicator: ("indicators", { ScopeFilter.project($0, column: "indicators.project_id") })
        case .person: ("people", { ScopeFilter.person($0, column: "people.id") })
        case .obligation: ("obligations", { ScopeFilter.convention($0, column: "obligations.convention_id") })
        case .breachNotice: ("breach_notices", { ScopeFilter.convention($0, column: "breach_notices.convention_id") })
        case .meeting: ("meetings", { ScopeFilter.convention($0, column: "meetings.convention_id") })
        }
    }
}

extension Registry {
    /// Whether the resource exists and lies in `scope`.
    public func isVisible(_ resource: ScopedResource, id: String, scope: Scope) -> Bool {
        let (table, condition) = resource.lookup
        let row = try? read { db in try db.queryOne("SELECT 1 FROM \(table) WHERE \(table).id = ?", [id], scopedBy: condition(scope)) }
        return (row ?? nil) != nil
    }
}
