import JSON
import SQLite

extension Registry {
    public func createIndicator(project projectID: String, fields: JSONObject, change: ChangeContext) throws -> Indicator {
        var reader = FieldReader(fields, allowed: ["name", "unit", "baseline", "target", "direction"])
        let name = reader.string("name", required: true, maxLength: 300, trimmed: true)
        let unit = reader.string("unit", required: true, maxLength: 100, trimmed: true)
        let baseline = reader.number("baseline")
        let target = reader.number("target", required: true)
        let direction = reader.oneOf("direction", ["increase", "decrease"], required: true)
        if let baseline, let target, let direction {
            if direction == "increase" && target <= baseline { reader.fail("target", "must be above the baseline for an increase") }
            if direction == "decrease" && target >= baseline { reader.fail("target", "must be below the baseline for a decrease") }
        }
        try reader.check()
        return try write(change) { db, audit in
            let project = try fetchProject(projectID, scope: .everything, db: db)
            let id = Identifier.make("ind")
            try db.run("""
                INSERT INTO indicators (id, project_id, name, unit, baseline, target, direction, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [id, projectID, name!, unit!, baseline, target!, direction!, change.at.timestamp, change.at.timestamp])
            let indicator = try fetchIndicator(id, scope: .everything, db: db)
            try audit.record("indicator.created", entityType: "indicator", entityID: id, changes: .object(indicator.auditRecord), partners: project.partners.map(\.partnerID))
            return indicator
        }
    }

    public func indicators(project projectID: String, scope: Scope, page: PageRequest) throws -> Page<Indicator> {
        try read { db in
            _ = try fetchProject(projectID, scope: scope, db: db)
            var query = ListQuery(Indicator.select)
            query.filter("i.project_id = ?", projectID)
            let rows = try query.run(db, seqColumn: "i.seq", page: page)
            return page.page(try rows.map { row throws in (try row.seq(), try Indicator(row: row)) })
        }
    }

    public func indicator(_ id: String, scope: Scope) throws -> Indicator {
        try read { db in try fetchIndicator(id, scope: scope, db: db) }
    }

    public func recordMeasurement(indicator id: String, fields: JSONObject, scope: Scope, change: ChangeContext) throws -> (Measurement, Indicator) {
        var reader = FieldReader(fields, allowed: ["value", "measured_on", "note"])
        let value = reader.number("value", required: true)
        let measuredOn = reader.date("measured_on", required: true)
        let note = reader.string("note", maxLength: 10_000, freeText: true)
        try reader.check()
        return try write(change) { db, audit in
            let indicator = try fetchIndicator(id, scope: scope, db: db)
            let measurementID = Identifier.make("msr")
            try db.run("INSERT INTO measurements (id, indicator_id, value, measured_on, note, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                       [measurementID, id, value!, measuredOn!, note, change.at.timestamp])
            try db.run("UPDATE indicators SET version = version + 1, updated_at = ? WHERE id = ?", [change.at.timestamp, id])
            let measurement = try Measurement(row: try db.queryOne("SELECT * FROM measurements WHERE id = ?", [measurementID])!)
            let partners = try db.query("SELECT partner_id FROM project_partners WHERE project_id = ?", [indicator.projectID]).compactMap { $0.string("partner_id") }
            try audit.record("indicator.measured", entityType: "indicator", entityID: id, changes: .object(measurement.auditRecord), partners: partners)
            return (measurement, try fetchIndicator(id, scope: .everything, db: db))
        }
    }

    public func measurement(_ measurementID: String, indicator id: String, scope: Scope) throws -> Measurement {
        try read { db in
            _ = try fetchIndicator(id, scope: scope, db: db)
            guard let row = try db.queryOne("SELECT * FROM measurements WHERE id = ? AND indicator_id = ?", [measurementID, id]) else {
                throw RegistryError.notFound("Indicator \(id) has no measurement \(measurementID).")
            }
            return try Measurement(row: row)
        }
    }

    /// Measurements ordered by `measured_on`, then as recorded.
    public func measurements(indicator id: String, scope: Scope) throws -> [Measurement] {
        try read { db in
            _ = try fetchIndicator(id, scope: scope, db: db)
            return try db.query("SELECT * FROM measurements WHERE indicator_id = ? ORDER BY measured_on, seq", [id]).map { row throws in try Measurement(row: row) }
        }
    }

    func fetchIndicator(_ id: String, scope: Scope, db: Connection) throws -> Indicator {
        guard let row = try db.queryOne(Indicator.select + " WHERE i.id = ?", [id], scopedBy: ScopeFilter.project(scope, column: "i.project_id")) else { throw RegistryError.notFound("No indicator \(id).") }
        return try Indicator(row: row)
    }
}
