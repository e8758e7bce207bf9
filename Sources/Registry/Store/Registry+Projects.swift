import JSON
import SQLite

/// Filters of `GET /v1/projects`.
public struct ProjectFilter: Sendable {
    public var status: String?
    public var partnerID: String?
    public var q: String?

    public init(status: String? = nil, partnerID: String? = nil, q: String? = nil) {
        self.status = status
        self.partnerID = partnerID
        self.q = q
    }
}

extension Registry {
    public func createProject(_ fields: JSONObject, change: ChangeContext) throws -> Project {
        let project = try Project(id: Identifier.make("prj"), fields: fields, current: nil, at: change.at)
        return try write(change) { db, audit in
            try save(project, db: db, inserting: true)
            try saveParticipants(project, db: db)
            try audit.record("project.created", entityType: "project", entityID: project.id, changes: .object(project.auditRecord),
                             partners: project.partners.map(\.partnerID))
            return project
        }
    }

    public func project(_ id: String, scope: Scope) throws -> Project {
        try read { db in try fetchProject(id, scope: scope, db: db) }
    }

    public func projects(_ filter: ProjectFilter, scope: Scope, page: PageRequest) throws -> Page<Project> {
        try read { db in
            var query = ListQuery("SELECT * FROM projects")
            query.filter(ScopeFilter.project(scope, column: "projects.id"))
            if let status = filter.status { query.filter("status = ?", status) }
            if let partner = filter.partnerID {
                query.filter("EXISTS (SELECT 1 FROM project_partners f WHERE f.project_id = projects.id AND f.partner_id = ?)", partner)
            }
            if let q = filter.q, !q.isEmpty { query.filter("instr(title_key, ?) > 0", q.lowercased()) }
            let rows = try query.run(db, seqColumn: "seq", page: page)
            return page.page(try rows.map { row throws in (try row.seq(), try Project(row: row, partners: try participants(of: try StoredRecord(row: row, table: "projects").string("id"), db: db))) })
        }
    }

    public func updateProject(_ id: String, patch: JSONObject, ifMatch: VersionPrecondition?, change: ChangeContext) throws -> Project {
        try write(change) { db, audit in
            let current = try fetchProject(id, scope: .everything, db: db)
            try checkVersion(ifMatch, current: current.version)
            let merged = JSON.object(current.writableJSON).mergePatched(with: .object(patch)).objectValue ?? [:]
            let updated = try Project(id: id, fields: merged, current: current, at: change.at)
            try save(updated, db: db, inserting: false)
            if patch["partners"] != nil { try saveParticipants(updated, db: db) }
            // One entry per write: a status change is announced as such, with the whole patch.
            var changes = patch
            var action = "project.updated"
            if updated.status != current.status {
                action = "project.status_changed"
                changes["status"] = ["from": .string(current.status.rawValue), "to": .string(updated.status.rawValue)]
            }
            try audit.record(action, entityType: "project", entityID: id, changes: .object(changes), partners: current.partners.map(\.partnerID))
            return updated
        }
    }

    public func deleteProject(_ id: String, ifMatch: VersionPrecondition?, change: ChangeContext) throws {
        try write(change) { db, audit in
            let current = try fetchProject(id, scope: .everything, db: db)
            try checkVersion(ifMatch, current: current.version)
            if try db.queryOne("SELECT 1 FROM conventions WHERE project_id = ? LIMIT 1", [id]) != nil {
                throw RegistryError.inUse("The project has conventions.")
            }
            try db.run("DELETE FROM measurements WHERE indicator_id IN (SELECT id FROM indicators WHERE project_id = ?)", [id])
            try db.run("DELETE FROM indicators WHERE project_id = ?", [id])
            try db.run("DELETE FROM projects WHERE id = ?", [id])
            try audit.record("project.deleted", entityType: "project", entityID: id, changes: .object(current.auditRecord), partners: current.partners.map(\.partnerID))
        }
    }

    /// `PUT /v1/projects/{id}/partners/{partner_id}`: true when the participant is new.
    public func setParticipant(project id: String, partner partnerID: String, fields: JSONObject, ifMatch: VersionPrecondition?, change: ChangeContext) throws -> (project: Project, created: Bool) {
        var reader = FieldReader(fields, allowed: ["role"])
        let role = reader.oneOf("role", Project.roles, required: true)
        try reader.check()
        return try write(change) { db, audit in
            let current = try fetchProject(id, scope: .everything, db: db)
            try checkVersion(ifMatch, current: current.version)
            _ = try fetchPartner(partnerID, db: db)
            let existing = current.partners.first { $0.partnerID == partnerID }
            if role == "lead", current.partners.contains(where: { $0.role == "lead" && $0.partnerID != partnerID }) {
                throw RegistryError.conflict("The project already has a lead.")
            }
            if let existing {
                try db.run("UPDATE project_partners SET role = ? WHERE project_id = ? AND partner_id = ?", [role!, id, partnerID])
                _ = existing
            } else {
                let next = try db.queryOne("SELECT ifnull(max(added_seq), 0) + 1 AS n FROM project_partners WHERE project_id = ?", [id])?.int("n") ?? 1
                try db.run("INSERT INTO project_partners (project_id, partner_id, role, added_seq) VALUES (?, ?, ?, ?)", [id, partnerID, role!, next])
            }
            try bumpProject(id, current: current, at: change.at, db: db)
            let project = try fetchProject(id, scope: .everything, db: db)
            try audit.record(existing == nil ? "project.partner_added" : "project.partner_changed", entityType: "project", entityID: id,
                             changes: ["partner_id": .string(partnerID), "role": .string(role!)], partners: project.partners.map(\.partnerID))
            return (project, existing == nil)
        }
    }

    public func removeParticipant(project id: String, partner partnerID: String, ifMatch: VersionPrecondition?, change: ChangeContext) throws {
        try write(change) { db, audit in
            let current = try fetchProject(id, scope: .everything, db: db)
            try checkVersion(ifMatch, current: current.version)
            guard current.partners.contains(where: { $0.partnerID == partnerID }) else {
                throw RegistryError.notFound("Partner \(partnerID) does not take part in project \(id).")
            }
            try db.run("DELETE FROM project_partners WHERE project_id = ? AND partner_id = ?", [id, partnerID])
            try bumpProject(id, current: current, at: change.at, db: db)
            try audit.record("project.partner_removed", entityType: "project", entityID: id,
                             changes: ["partner_id": .string(partnerID)], partners: current.partners.map(\.partnerID))
        }
    }

    func fetchProject(_ id: String, scope: Scope, db: Connection) throws -> Project {
        guard let row = try db.queryOne("SELECT * FROM projects WHERE id = ?", [id], scopedBy: ScopeFilter.project(scope, column: "projects.id")) else { throw RegistryError.notFound("No project \(id).") }
        return try Project(row: row, partners: try participants(of: id, db: db))
    }

    private func participants(of projectID: String, db: Connection) throws -> [(String, String)] {
        try db.query("SELECT partner_id, role FROM project_partners WHERE project_id = ? ORDER BY added_seq", [projectID])
            .map { row throws in
                let stored = StoredRecord(row: row, table: "project_partners")
                return (try stored.string("partner_id"), try stored.string("role"))
            }
    }

    /// Replaces the participants with the project's list (every partner must exist: 422).
    private func saveParticipants(_ project: Project, db: Connection) throws {
        var missing: [FieldError] = []
        for (index, participant) in project.partners.enumerated() where try db.queryOne("SELECT 1 FROM partners WHERE id = ?", [participant.partnerID]) == nil {
            missing.append(FieldError(field: "partners[\(index)].partner_id", message: "no such partner"))
        }
        if !missing.isEmpty { throw RegistryError.validation(missing) }
        try db.run("DELETE FROM project_partners WHERE project_id = ?", [project.id])
        for (index, participant) in project.partners.enumerated() {
            try db.run("INSERT INTO project_partners (project_id, partner_id, role, added_seq) VALUES (?, ?, ?, ?)",
                       [project.id, participant.partnerID, participant.role, index + 1])
        }
    }

    private func bumpProject(_ id: String, current: Project, at: Instant, db: Connection) throws {
        try db.run("UPDATE projects SET version = ?, updated_at = ? WHERE id = ?", [current.version + 1, at.timestamp, id])
    }

    private func save(_ project: Project, db: Connection, inserting: Bool) throws {
        let values: [any SQLiteBindable] = [
            project.title, project.title.lowercased(), project.description, project.discipline, project.status.rawValue, project.startsOn, project.endsOn,
            project.budgetCents, project.currency, project.updatedAt, project.version, project.id,
        ]
        if inserting {
            try db.run("""
                INSERT INTO projects (title, title_key, description, discipline, status, starts_on, ends_on, budget_cents, currency, updated_at, version, id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, values + [project.createdAt])
        } else {
            try db.run("""
                UPDATE projects SET title = ?, title_key = ?, description = ?, discipline = ?, status = ?, starts_on = ?, ends_on = ?,
                budget_cents = ?, currency = ?, updated_at = ?, version = ? WHERE id = ?
                """, values)
        }
    }
}
