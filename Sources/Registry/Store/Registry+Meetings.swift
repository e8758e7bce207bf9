import JSON
import SQLite

/// Filters of the meeting lists.
public struct MeetingFilter: Sendable {
    public var conventionID: String?
    public var status: MeetingStatus?
    /// Meetings starting at or after this instant.
    public var from: String?
    /// Meetings starting before this instant.
    public var to: String?

    public init(conventionID: String? = nil, status: MeetingStatus? = nil, from: String? = nil, to: String? = nil) {
        self.conventionID = conventionID
        self.status = status
        self.from = from
        self.to = to
    }
}

extension Registry {
    /// Convenes a meeting of a convention in force, with the notice its governance requires.
    public func convene(convention id: String, fields: JSONObject, change: ChangeContext) throws -> Meeting {
        var reader = FieldReader(fields, allowed: MeetingDetails.fields + ["agenda"])
        let details = MeetingDetails(fields, over: nil, reader: &reader)
        let items = reader.array("agenda", maxCount: 100) ?? []
        var agenda: [(title: String, decisionID: String?)] = []
        for (index, item) in items.enumerated() {
            guard let object = item.objectValue else {
                reader.fail("agenda[\(index)]", "must be an object")
                continue
            }
            var inner = FieldReader(object, prefix: "agenda[\(index)].", allowed: ["title", "decision_id"])
            let title = inner.string("title", required: true, maxLength: 300, trimmed: true)
            let decisionID = inner.string("decision_id", maxLength: 100)
            reader.absorb(inner.errors)
            if let title { agenda.append((title, decisionID)) }
        }
        try reader.check()
        return try write(change) { db, audit in
            let convention = try fetchConvention(id, scope: .everything, db: db)
            guard convention.status == .inForce else {
                throw RegistryError.invalidTransition("Meetings are convened on a convention in force only.")
            }
            try checkNotice(details.startsAt, governance: convention.governance, now: change.at)
            var errors: [FieldError] = []
            for (index, item) in agenda.enumerated() {
                if let decisionID = item.decisionID,
                   try db.queryOne("SELECT 1 FROM decisions WHERE id = ? AND convention_id = ?", [decisionID, id]) == nil {
                    errors.append(FieldError(field: "agenda[\(index)].decision_id", message: "no such decision of this convention"))
                }
            }
            if !errors.isEmpty { throw RegistryError.validation(errors) }
            let items = agenda.enumerated().map { Meeting.AgendaItem(number: $0.offset + 1, title: $0.element.title, decisionID: $0.element.decisionID) }
            let meeting = Meeting(id: Identifier.make("mtg"), conventionID: id, details: details, agenda: items, at: change.at)
            try saveMeeting(meeting, db: db, inserting: true)
            for decisionID in Set(items.compactMap(\.decisionID)) {
                try putOnAgenda(decision: decisionID, meeting: meeting.id, at: change.at, db: db)
            }
            try audit.record("meeting.convened", entityType: "meeting", entityID: meeting.id, changes: .object(meeting.document),
                             partners: convention.partnerIDs)
            return meeting
        }
    }

    public func meeting(_ id: String, scope: Scope) throws -> Meeting {
        try read { db in try current(try fetchMeeting(id, scope: scope, db: db), db: db) }
    }

    /// `GET /v1/meetings` (`filter.conventionID` nil) and `GET /v1/conventions/{id}/meetings`.
    public func meetings(filter: MeetingFilter, scope: Scope, page: PageRequest) throws -> Page<Meeting> {
        try read { db in
            if let conventionID = filter.conventionID { _ = try fetchConvention(conventionID, scope: scope, db: db) }
            var query = ListQuery("SELECT seq, document FROM meetings")
            if let conventionID = filter.conventionID { query.filter("convention_id = ?", conventionID) }
            query.filter(ScopeFilter.convention(scope, column: "meetings.convention_id"))
            if let status = filter.status { query.filter("status = ?", status.rawValue) }
            if let from = filter.from { query.filter("starts_at >= ?", from) }
            if let to = filter.to { query.filter("starts_at < ?", to) }
            let rows = try query.run(db, seqColumn: "seq", page: page)
            // One read of the defaulting parties per convention, not per meeting.
            var defaulting: [String: Set<String>] = [:]
            return page.page(try rows.map { row throws in
                let meeting = try Meeting(row: row)
                if defaulting[meeting.conventionID] == nil { defaulting[meeting.conventionID] = try defaultingParties(meeting.conventionID, db: db) }
                return (try row.seq(), meeting.current(defaulting: defaulting[meeting.conventionID]!))
            })
        }
    }

    /// Changes a scheduled meeting; a new `starts_at` must respect the notice again.
    public func updateMeeting(_ id: String, fields: JSONObject, ifMatch: VersionPrecondition?, change: ChangeContext) throws -> Meeting {
        try changeMeeting(id, ifMatch: ifMatch, change: change) { meeting, convention, db, audit in
            guard meeting.status == .scheduled else { throw RegistryError.invalidTransition("Only a scheduled meeting can be changed.") }
            var reader = FieldReader(fields, allowed: MeetingDetails.fields)
            let details = MeetingDetails(fields, over: meeting.details, reader: &reader)
            try reader.check()
            if details.startsAt != meeting.details.startsAt { try checkNotice(details.startsAt, governance: convention.governance, now: change.at) }
            meeting.details = details
            let changed = MeetingDetails.fields.filter { fields.keys.contains($0) }
            try audit.record("meeting.changed", entityType: "meeting", entityID: id,
                             changes: ["fields": .array(changed.map(JSON.string)), "starts_at": .string(meeting.details.startsAt)],
                             partners: convention.partnerIDs)
        }
    }

    public func cancelMeeting(_ id: String, ifMatch: VersionPrecondition?, change: ChangeContext) throws -> Meeting {
        try changeMeeting(id, ifMatch: ifMatch, change: change) { meeting, convention, _, audit in
            guard meeting.status.canMove(to: .cancelled) else { throw RegistryError.invalidTransition("Only a scheduled meeting can be cancelled.") }
            meeting.status = .cancelled
            try audit.record("meeting.cancelled", entityType: "meeting", entityID: id, changes: ["status": "cancelled"], partners: convention.partnerIDs)
        }
    }

    /// Records that the meeting took place: at or after its start.
    public func holdMeeting(_ id: String, ifMatch: VersionPrecondition?, change: ChangeContext) throws -> Meeting {
        try changeMeeting(id, ifMatch: ifMatch, change: change) { meeting, convention, _, audit in
            guard meeting.status.canMove(to: .held) else { throw RegistryError.invalidTransition("Only a scheduled meeting can be held.") }
            guard meeting.details.startsAt <= change.at.timestamp else {
                throw RegistryError.invalidTransition("The meeting starts at \(meeting.details.startsAt); it cannot be held before.")
            }
            meeting.status = .held
            try audit.record("meeting.held", entityType: "meeting", entityID: id, changes: ["status": "held"], partners: convention.partnerIDs)
        }
    }

    /// Adds an agenda item; with `decision`, opens that decision bound to the meeting.
    public func addAgendaItem(meeting id: String, fields: JSONObject, ifMatch: VersionPrecondition?, change: ChangeContext) throws -> Meeting {
        var reader = FieldReader(fields, allowed: ["title", "decision"])
        let title = reader.string("title", required: true, maxLength: 300, trimmed: true)
        let decisionFields = reader.object("decision")
        try reader.check()
        let request = try decisionFields.map { fields throws(RegistryError) in
            try DecisionRequest(fields, allowed: ["title", "description", "majority"], now: change.at, prefix: "decision.")
        }
        return try changeMeeting(id, ifMatch: ifMatch, change: change) { meeting, convention, db, audit in
            guard meeting.status != .cancelled else { throw RegistryError.invalidTransition("A cancelled meeting takes no agenda items.") }
            guard meeting.agenda.count < 100 else { throw RegistryError.conflict("The agenda already holds 100 items.") }
            let decision = try request.map { try openDecision($0, convention: convention, meetingID: id, db: db, audit: audit) }
            let item = Meeting.AgendaItem(number: meeting.agenda.count + 1, title: title!, decisionID: decision?.id)
            meeting.agenda.append(item)
            try audit.record("meeting.changed", entityType: "meeting", entityID: id,
                             changes: ["agenda_item": ["number": .int(Int64(item.number)), "title": .string(item.title), "decision_id": item.decisionID.json]],
                             partners: convention.partnerIDs)
        }
    }

    /// Loads a meeting for a change, lets `body` change it (and audit it),
    /// then bumps its version and saves it, all in one transaction.
    func changeMeeting(_ id: String, ifMatch: VersionPrecondition?, scope: Scope = .everything, change: ChangeContext,
                       _ body: (inout Meeting, Convention, Connection, AuditLog) throws -> Void) throws -> Meeting {
        try write(change) { db, audit in
            var meeting = try fetchMeeting(id, scope: scope, db: db)
            try checkVersion(ifMatch, current: meeting.version)
            let convention = try fetchConvention(meeting.conventionID, scope: .everything, db: db)
            try body(&meeting, convention, db, audit)
            meeting.updatedAt = change.at.timestamp
            meeting.version += 1
            try saveMeeting(meeting, db: db, inserting: false)
            return try current(meeting, db: db)
        }
    }

    /// A meeting starts at least `meeting_notice_days` after now (422 on `starts_at`).
    private func checkNotice(_ startsAt: String, governance: JSONObject, now: Instant) throws {
        let days = MeetingRules(governance: governance).noticeDays
        guard now.adding(days: days).timestamp <= startsAt else {
            throw RegistryError.invalid("starts_at", days == 0 ? "must not be in the past" : "must be at least \(days) days from now (meeting_notice_days)")
        }
    }

    func fetchMeeting(_ id: String, scope: Scope, db: Connection) throws -> Meeting {
        guard let row = try db.queryOne("SELECT document FROM meetings WHERE id = ?", [id],
                                        scopedBy: ScopeFilter.convention(scope, column: "meetings.convention_id")) else {
            throw RegistryError.notFound("No meeting \(id).")
        }
        return try Meeting(row: row)
    }

    /// The meeting as it stands now: a scheduled meeting has lost the proxies
    /// of a party that is defaulting (a lapsed notice counts from its deadline,
    /// before the job records the default and removes them).
    func current(_ meeting: Meeting, db: Connection) throws -> Meeting {
        guard meeting.status == .scheduled, !meeting.proxies.isEmpty else { return meeting }
        return meeting.current(defaulting: try defaultingParties(meeting.conventionID, db: db))
    }

    func saveMeeting(_ meeting: Meeting, db: Connection, inserting: Bool) throws {
        let document = JSON.object(meeting.document).serialized()
        let minutesStatus = meeting.minutes?.storedStatus.rawValue
        let deadline = meeting.minutes?.objectionDeadline
        if inserting {
            try db.run("""
                INSERT INTO meetings (id, convention_id, status, starts_at, minutes_status, objection_deadline, document, created_at, updated_at, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [meeting.id, meeting.conventionID, meeting.status.rawValue, meeting.details.startsAt, minutesStatus, deadline, document,
                      meeting.createdAt, meeting.updatedAt, meeting.version])
        } else {
            try db.run("""
                UPDATE meetings SET status = ?, starts_at = ?, minutes_status = ?, objection_deadline = ?, document = ?, updated_at = ?, version = ?
                WHERE id = ?
                """, [meeting.status.rawValue, meeting.details.startsAt, minutesStatus, deadline, document, meeting.updatedAt, meeting.version, meeting.id])
        }
        try db.run("DELETE FROM meeting_attendees WHERE meeting_id = ?", [meeting.id])
        for entry in meeting.attendance {
            guard let personID = entry.personID else { continue }
            try db.run("INSERT INTO meeting_attendees (meeting_id, partner_id, person_id) VALUES (?, ?, ?)", [meeting.id, entry.partnerID, personID])
        }
    }
}
