import SQLite

extension Registry {
    /// Whether the project exists and lies in `scope`.
    public func isVisible(project id: String, scope: Scope) -> Bool {
        exists("SELECT 1 FROM projects p WHERE p.id = ?", id, ScopeFilter.project(scope, column: "p.id"))
    }

    public func isVisible(convention id: String, scope: Scope) -> Bool {
        exists("SELECT 1 FROM conventions c WHERE c.id = ?", id, ScopeFilter.convention(scope, column: "c.id"))
    }

    public func isVisible(decision id: String, scope: Scope) -> Bool {
        exists("SELECT 1 FROM decisions d WHERE d.id = ?", id, ScopeFilter.convention(scope, column: "d.convention_id"))
    }

    public func isVisible(indicator id: String, scope: Scope) -> Bool {
        exists("SELECT 1 FROM indicators i WHERE i.id = ?", id, ScopeFilter.project(scope, column: "i.project_id"))
    }

    public func isVisible(person id: String, scope: Scope) -> Bool {
        exists("SELECT 1 FROM people WHERE people.id = ?", id, ScopeFilter.person(scope, column: "people.id"))
    }

    public func isVisible(obligation id: String, scope: Scope) -> Bool {
        exists("SELECT 1 FROM obligations o WHERE o.id = ?", id, ScopeFilter.convention(scope, column: "o.convention_id"))
    }

    public func isVisible(breachNotice id: String, scope: Scope) -> Bool {
        exists("SELECT 1 FROM breach_notices b WHERE b.id = ?", id, ScopeFilter.convention(scope, column: "b.convention_id"))
    }

    public func isVisible(meeting id: String, scope: Scope) -> Bool {
        exists("SELECT 1 FROM meetings m WHERE m.id = ?", id, ScopeFilter.convention(scope, column: "m.convention_id"))
    }

    private func exists(_ sql: String, _ id: String, _ condition: ScopeFilter.Condition?) -> Bool {
        ((try? read { db in try db.queryOne(sql, [id], scopedBy: condition) }) ?? nil) != nil
    }
}
