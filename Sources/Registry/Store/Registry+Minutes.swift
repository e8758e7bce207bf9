import JSON
import SQLite

extension Registry {
    /// Writes the minutes of a held meeting while they are a draft. `created`
    /// is true for the first text.
    public func writeMinutes(meeting id: String, fields: JSONObject, ifMatch: VersionPrecondition?, change: ChangeContext) throws -> (meeting: Meeting, created: Bool) {
        var reader = FieldReader(fields, allowed: ["text"])
        let text = reader.string("text", required: true, maxLength: 200_000, freeText: true)
        try reader.check()
        var created = false
        let meeting = try changeMeeting(id, ifMatch: ifMatch, change: change) { meeting, convention, _, audit in
            guard meeting.status == .held else { throw RegistryError.invalidTransition("Minutes are written for a held meeting only.") }
            if var minutes = meeting.minutes {
                guard minutes.storedStatus == .draft else { throw RegistryError.invalidTransition("Published minutes cannot be rewritten.") }
                minutes.text = text!
                meeting.minutes = minutes
            } else {
                meeting.minutes = Meeting.Minutes(text: text!, storedStatus: .draft, publishedAt: nil, objectionDeadline: nil, objections: [])
                created = true
            }
            try audit.record("meeting.changed", entityType: "meeting", entityID: id, changes: ["minutes": "draft"], partners: convention.partnerIDs)
        }
        return (meeting, created)
    }

    /// Publishes draft minutes; parties may object until `minutes_objection_days` have passed.
    public func publishMinutes(meeting id: String, ifMatch: VersionPrecondition?, change: ChangeContext) throws -> Meeting {
        try changeMeeting(id, ifMatch: ifMatch, change: change) { meeting, convention, _, audit in
            guard var minutes = meeting.minutes, minutes.storedStatus.canMove(to: .published) else {
                throw RegistryError.invalidTransition(meeting.minutes == nil ? "The meeting has no minutes to publish." : "The minutes are already published.")
            }
            let days = MeetingRules(governance: convention.governance).minutesObjectionDays
            minutes.storedStatus = .published
            minutes.publishedAt = change.at.timestamp
            minutes.objectionDeadline = change.at.adding(days: days).timestamp
            meeting.minutes = minutes
            try audit.record("minutes.published", entityType: "meeting", entityID: id,
                             changes: ["published_at": .string(change.at.timestamp), "objection_deadline": .string(minutes.objectionDeadline!)],
                             partners: convention.partnerIDs)
        }
    }

    /// A party objects to published minutes before the deadline.
    public func objectToMinutes(meeting id: String, fields: JSONObject, ifMatch: VersionPrecondition?, actingFor: String?, change: ChangeContext) throws -> Meeting {
        var reader = FieldReader(fields, allowed: ["partner_id", "reason"])
        let partnerID = reader.string("partner_id", required: true, maxLength: 100)
        let reason = reader.string("reason", required: true, maxLength: 10_000, trimmed: true, freeText: true)
        try reader.check()
        try Self.checkActing(actingFor, for: partnerID!)
        return try changeMeeting(id, ifMatch: ifMatch, scope: Scope(actingFor: actingFor), change: change) { meeting, convention, _, audit in
            guard convention.partnerIDs.contains(partnerID!) else {
                throw RegistryError.conflict("Partner \(partnerID!) is not a party to convention \(convention.id).")
            }
            guard var minutes = meeting.minutes, minutes.status(at: change.at.timestamp).canMove(to: .objected) else {
                throw RegistryError.invalidTransition(meeting.minutes?.storedStatus == .draft || meeting.minutes == nil
                    ? "The minutes are not published." : "The objection period is over.")
            }
            // Objected minutes stay open to further objections, but only until the deadline.
            guard let deadline = minutes.objectionDeadline, change.at.timestamp < deadline else {
                throw RegistryError.invalidTransition("The objection period is over.")
            }
            minutes.storedStatus = .objected
            minutes.objections.append(Meeting.Objection(partnerID: partnerID!, reason: reason!, at: change.at.timestamp))
            meeting.minutes = minutes
            try audit.record("minutes.objected", entityType: "meeting", entityID: id,
                             changes: ["partner_id": .string(partnerID!), "reason": .string(reason!)], partners: convention.partnerIDs)
        }
    }

    /// Records the approval of published minutes whose objection deadline has
    /// passed without objection (reads show them approved already); the
    /// background job and the audit and event feeds call it.
    public func approveDueMinutes() throws {
        let now = clock.now()
        let due = try read { db in
            try db.query("SELECT id, objection_deadline FROM meetings WHERE minutes_status = ? AND objection_deadline <= ?",
                         [MinutesStatus.published.rawValue, now.timestamp]).map { ($0.string("id") ?? "", $0.string("objection_deadline") ?? "") }
        }
        for (id, deadline) in due {
            try write(ChangeContext(actor: "system", requestID: "objection_deadline", at: now)) { db, audit in
                var meeting = try fetchMeeting(id, scope: .everything, db: db)
                guard var minutes = meeting.minutes, minutes.storedStatus.canMove(to: .approved), minutes.status(at: now.timestamp) == .approved else { return }
                minutes.storedStatus = .approved
                meeting.minutes = minutes
                meeting.updatedAt = now.timestamp
                meeting.version += 1
                try saveMeeting(meeting, db: db, inserting: false)
                let convention = try fetchConvention(meeting.conventionID, scope: .everything, db: db)
                try audit.record("minutes.approved", entityType: "meeting", entityID: id, changes: ["approved_at": .string(deadline)],
                                 partners: convention.partnerIDs)
            }
        }
    }
}
