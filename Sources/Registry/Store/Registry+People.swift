import JSON
import SQLite

/// Filters of `GET /v1/people`.
public struct PersonFilter: Sendable {
    public var partnerID: String?
    public var role: String?
    public var q: String?

    public init(partnerID: String? = nil, role: String? = nil, q: String? = nil) {
        self.partnerID = partnerID
        self.role = role
        self.q = q
    }
}

extension Registry {
    /// Creates a person. A partner key (`actingFor`) may create only a person
    /// affiliated to its own partner and to no other.
    public func createPerson(_ fields: JSONObject, actingFor: String?, change: ChangeContext) throws -> Person {
        try write(change) { db, audit in
            let person = try validPerson(fields, db: db) { () throws(RegistryError) in
                try Person(id: Identifier.make("prs"), fields: fields, createdAt: change.at.timestamp, updatedAt: change.at.timestamp, version: 1)
            }
            if let own = actingFor {
                guard person.affiliations.contains(where: { $0.partnerID == own }), person.partnerIDs == [own] else {
                    throw RegistryError.forbidden("A partner key creates only people affiliated to its own partner, and to no other.")
                }
            }
            try savePerson(person, db: db, inserting: true)
            try audit.record("person.created", entityType: "person", entityID: person.id,
                             changes: Self.changedFields(from: [:], to: person.writableJSON), partners: person.partnerIDs)
            return person
        }
    }

    public func person(_ id: String, scope: Scope) throws -> Person {
        try read { db in try fetchPerson(id, scope: scope, db: db) }
    }

    public func people(_ filter: PersonFilter, scope: Scope, page: PageRequest) throws -> Page<Person> {
        try read { db in
            var query = ListQuery("SELECT seq, document FROM people")
            query.filter(ScopeFilter.person(scope, column: "people.id"))
            switch (filter.partnerID, filter.role) {
            case (nil, nil):
                break
            case (let partner?, nil):
                query.filter("EXISTS (SELECT 1 FROM person_affiliations f WHERE f.person_id = people.id AND f.partner_id = ?)", partner)
            case (nil, let role?):
                query.filter("EXISTS (SELECT 1 FROM person_affiliations f, json_each(f.roles) r WHERE f.person_id = people.id AND r.value = ?)", role)
            case (let partner?, let role?):
                query.filter("""
                    EXISTS (SELECT 1 FROM person_affiliations f, json_each(f.roles) r
                            WHERE f.person_id = people.id AND f.partner_id = ? AND r.value = ?)
                    """, partner, role)
            }
            if let q = filter.q, !q.isEmpty { query.filter("instr(name_key, ?) > 0", q.lowercased()) }
            let rows = try query.run(db, seqColumn: "seq", page: page)
            return page.page(try rows.map { row throws in (try row.seq(), try Person(row: row)) })
        }
    }

    /// Applies a merge patch. A partner key may change only a person
    /// affiliated to its own partner, must leave the affiliations to other
    /// partners as they are, and must keep one to its own.
    public func updatePerson(_ id: String, patch: JSONObject, ifMatch: VersionPrecondition?, actingFor: String?, change: ChangeContext) throws -> Person {
        try write(change) { db, audit in
            let current = try fetchPerson(id, scope: Scope(actingFor: actingFor), db: db)
            if let own = actingFor, !current.partnerIDs.contains(own) {
                throw RegistryError.forbidden("A partner key changes only people affiliated to its own partner.")
            }
            try checkVersion(ifMatch, current: current.version)
            let merged = JSON.object(current.writableJSON).mergePatched(with: .object(patch)).objectValue ?? [:]
            let updated = try validPerson(merged, db: db) { () throws(RegistryError) in
                try Person(id: id, fields: merged, createdAt: current.createdAt, updatedAt: change.at.timestamp, version: current.version + 1)
            }
            if let own = actingFor {
                let others = { (person: Person) in person.affiliations.filter { $0.partnerID != own } }
                guard others(updated) == others(current), updated.partnerIDs.contains(own) else {
                    throw RegistryError.forbidden("A partner key changes only its own partner's affiliations, and keeps one.")
                }
            }
            try savePerson(updated, db: db, inserting: false)
            try audit.record("person.changed", entityType: "person", entityID: id,
                             changes: Self.changedFields(from: current.writableJSON, to: updated.writableJSON),
                             partners: Array(Set(current.partnerIDs + updated.partnerIDs)))
            return updated
        }
    }

    /// Deletes a person who never signed and was never recorded at a meeting (409 `in_use` otherwise).
    public func deletePerson(_ id: String, ifMatch: VersionPrecondition?, change: ChangeContext) throws {
        try write(change) { db, audit in
            let current = try fetchPerson(id, scope: .everything, db: db)
            try checkVersion(ifMatch, current: current.version)
            if try db.queryOne("SELECT 1 FROM person_signatures WHERE person_id = ? LIMIT 1", [id]) != nil {
                throw RegistryError.inUse("The person signed a convention or an amendment.")
            }
            if try db.queryOne("SELECT 1 FROM meeting_attendees WHERE person_id = ? LIMIT 1", [id]) != nil {
                throw RegistryError.inUse("The person is recorded at a meeting.")
            }
            try db.run("DELETE FROM people WHERE id = ?", [id])
            try audit.record("person.deleted", entityType: "person", entityID: id,
                             changes: Self.changedFields(from: current.writableJSON, to: [:]), partners: current.partnerIDs)
        }
    }

    func fetchPerson(_ id: String, scope: Scope, db: Connection) throws -> Person {
        guard let row = try db.queryOne("SELECT document FROM people WHERE id = ?", [id], scopedBy: ScopeFilter.person(scope, column: "people.id")) else {
            throw RegistryError.notFound("No person \(id).")
        }
        return try Person(row: row)
    }

    /// Personal data stays out of the audit trail: an entry names the fields
    /// a change set, altered or removed, never their values.
    static func changedFields(from before: JSONObject, to after: JSONObject) -> JSON {
        let changed = Person.writableFields.filter { key in
            let old = before[key] ?? .null, new = after[key] ?? .null
            return old != new && !(Self.isEmpty(old) && Self.isEmpty(new))
        }
        return ["fields": .array(changed.map(JSON.string))]
    }

    private static func isEmpty(_ value: JSON) -> Bool {
        value.isNull || value.arrayValue?.isEmpty == true
    }

    /// The person `build` makes of `fields`, where every affiliated partner
    /// must exist: one 422 lists an unknown partner with every other fault.
    private func validPerson(_ fields: JSONObject, db: Connection, _ build: () throws(RegistryError) -> Person) throws -> Person {
        var unknown: [FieldError] = []
        for (index, item) in (fields["affiliations"]?.arrayValue ?? []).enumerated() {
            guard let partnerID = item["partner_id"]?.stringValue,
                  try db.queryOne("SELECT 1 FROM partners WHERE id = ?", [partnerID]) == nil
            else { continue }
            unknown.append(FieldError(field: "affiliations[\(index)].partner_id", message: "no such partner"))
        }
        switch Result(catching: build) {
        case .success(let person):
            if !unknown.isEmpty { throw RegistryError.validation(unknown) }
            return person
        case .failure(.validation(let errors)):
            let named = Set(errors.map(\.field))
            throw RegistryError.validation(errors + unknown.filter { !named.contains($0.field) })
        case .failure(let other):
            throw other
        }
    }

    private func savePerson(_ person: Person, db: Connection, inserting: Bool) throws {
        let document = JSON.object(person.document).serialized()
        do {
            if inserting {
                try db.run("""
                    INSERT INTO people (id, name_key, email_key, document, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, [person.id, person.nameKey, person.emailKey, document, person.createdAt, person.updatedAt, person.version])
            } else {
                try db.run("UPDATE people SET name_key = ?, email_key = ?, document = ?, updated_at = ?, version = ? WHERE id = ?",
                           [person.nameKey, person.emailKey, document, person.updatedAt, person.version, person.id])
                try db.run("DELETE FROM person_affiliations WHERE person_id = ?", [person.id])
            }
        } catch let error as SQLiteError where error.isUniqueViolation {
            throw RegistryError.duplicate("Another person has this email address.")
        }
        for (position, affiliation) in person.affiliations.enumerated() {
            try db.run("INSERT INTO person_affiliations (person_id, position, partner_id, roles, since, until) VALUES (?, ?, ?, ?, ?, ?)",
                       [person.id, position, affiliation.partnerID, JSON.array(affiliation.roles.map(JSON.string)).serialized(),
                        affiliation.since, affiliation.until])
        }
    }

    /// Drops every affiliation to a partner being deleted; returns the people touched.
    func removeAffiliations(to partnerID: String, change: ChangeContext, db: Connection) throws -> [String] {
        let rows = try db.query("""
            SELECT document FROM people WHERE id IN (SELECT person_id FROM person_affiliations WHERE partner_id = ?) ORDER BY seq
            """, [partnerID])
        var touched: [String] = []
        for row in rows {
            var person = try Person(row: row)
            person.affiliations.removeAll { $0.partnerID == partnerID }
            person.updatedAt = change.at.timestamp
            person.version += 1
            try savePerson(person, db: db, inserting: false)
            touched.append(person.id)
        }
        return touched
    }
}
