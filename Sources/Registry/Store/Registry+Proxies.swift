import JSON
import SQLite

extension Registry {
    /// Records whether a party attended, and who sat for it (the person must
    /// be affiliated to that partner). `created` is true for a new entry.
    public func recordAttendance(meeting id: String, partner partnerID: String, fields: JSONObject, ifMatch: VersionPrecondition?,
                                 actingFor: String?, change: ChangeContext) throws -> (meeting: Meeting, created: Bool) {
        var reader = FieldReader(fields, allowed: ["present", "person_id"])
        let present = reader.boolean("present", required: true)
        let personID = reader.string("person_id", maxLength: 100)
        try reader.check()
        try Self.checkActing(actingFor, for: partnerID)
        var created = false
        let meeting = try changeMeeting(id, ifMatch: ifMatch, scope: Scope(actingFor: actingFor), change: change) { meeting, convention, db, audit in
            guard meeting.status != .cancelled else { throw RegistryError.invalidTransition("A cancelled meeting has no attendance.") }
            guard convention.partnerIDs.contains(partnerID) else {
                throw RegistryError.conflict("Partner \(partnerID) is not a party to convention \(convention.id).")
            }
            if let personID {
                let person = try? fetchPerson(personID, scope: .everything, db: db)
                guard let person, person.partnerIDs.contains(partnerID) else {
                    throw RegistryError.invalid("person_id", "no person affiliated to partner \(partnerID)")
                }
            }
            let entry = Meeting.Attendance(partnerID: partnerID, personID: personID, present: present!)
            created = meeting.attendance.replaceOrAppend(entry) { $0.partnerID == partnerID }
            try audit.record("meeting.changed", entityType: "meeting", entityID: id,
                             changes: ["attendance": ["partner_id": .string(partnerID), "person_id": personID.json, "present": .bool(present!)]],
                             partners: convention.partnerIDs)
        }
        return (meeting, created)
    }

    /// A party gives its proxy for a meeting to another party (API.md §13):
    /// both parties, neither defaulting, no chains, at most
    /// `max_proxies_per_holder` grantors per holder. `created` is true for a new proxy.
    public func grantProxy(meeting id: String, grantor: String, fields: JSONObject, ifMatch: VersionPrecondition?,
                           actingFor: String?, change: ChangeContext) throws -> (meeting: Meeting, created: Bool) {
        var reader = FieldReader(fields, allowed: ["holder_partner_id"])
        let holderField = reader.string("holder_partner_id", required: true, maxLength: 100)
        try reader.check()
        let holder = holderField!
        try Self.checkActing(actingFor, for: grantor)
        var created = false
        let meeting = try changeMeeting(id, ifMatch: ifMatch, scope: Scope(actingFor: actingFor), change: change) { meeting, convention, db, audit in
            guard meeting.status != .cancelled else { throw RegistryError.invalidTransition("A cancelled meeting takes no proxies.") }
            for party in [grantor, holder] where !convention.partnerIDs.contains(party) {
                throw RegistryError.conflict("Partner \(party) is not a party to convention \(convention.id).")
            }
            guard grantor != holder else { throw RegistryError.conflict("A party cannot hold its own proxy.") }
            let defaulting = try defaultingParties(convention.id, db: db)
            for party in [grantor, holder] where defaulting.contains(party) {
                throw RegistryError.conflict("Partner \(party) is defaulting and can neither give nor hold a proxy.")
            }
            let others = meeting.proxies.filter {
                $0.grantorPartnerID != grantor && !defaulting.contains($0.grantorPartnerID) && !defaulting.contains($0.holderPartnerID)
            }
            if others.contains(where: { $0.holderPartnerID == grantor }) {
                throw RegistryError.conflict("Partner \(grantor) holds a proxy and cannot give its own (no chains).")
            }
            if others.contains(where: { $0.grantorPartnerID == holder }) {
                throw RegistryError.conflict("Partner \(holder) gave its proxy and cannot hold one (no chains).")
            }
            let limit = MeetingRules(governance: convention.governance).maxProxiesPerHolder
            guard others.filter({ $0.holderPartnerID == holder }).count < limit else {
                throw RegistryError.conflict("Partner \(holder) already holds \(limit) proxies (max_proxies_per_holder).")
            }
            let proxy = Meeting.Proxy(grantorPartnerID: grantor, holderPartnerID: holder, grantedAt: change.at.timestamp)
            created = meeting.proxies.replaceOrAppend(proxy) { $0.grantorPartnerID == grantor }
            try audit.record("proxy.granted", entityType: "meeting", entityID: id,
                             changes: ["grantor_partner_id": .string(grantor), "holder_partner_id": .string(holder)], partners: convention.partnerIDs)
        }
        return (meeting, created)
    }

    /// The grantor (its key, or an editor) takes its proxy back.
    @discardableResult
    public func revokeProxy(meeting id: String, grantor: String, ifMatch: VersionPrecondition?, actingFor: String?, change: ChangeContext) throws -> Meeting {
        try Self.checkActing(actingFor, for: grantor)
        return try changeMeeting(id, ifMatch: ifMatch, scope: Scope(actingFor: actingFor), change: change) { meeting, convention, _, audit in
            guard let index = meeting.proxies.firstIndex(where: { $0.grantorPartnerID == grantor }) else {
                throw RegistryError.notFound("Partner \(grantor) gave no proxy for meeting \(id).")
            }
            let proxy = meeting.proxies.remove(at: index)
            try audit.record("proxy.revoked", entityType: "meeting", entityID: id,
                             changes: ["grantor_partner_id": .string(grantor), "holder_partner_id": .string(proxy.holderPartnerID)],
                             partners: convention.partnerIDs)
        }
    }

    /// Who casts `grantor`'s vote at a meeting, if anyone: the holder of its
    /// proxy, while neither defaults and the meeting is not cancelled.
    func proxyHolder(for grantor: String, meeting id: String, db: Connection) throws -> String? {
        let meeting = try current(try fetchMeeting(id, scope: .everything, db: db), db: db)
        guard meeting.status != .cancelled else { return nil }
        return meeting.proxies.first { $0.grantorPartnerID == grantor }?.holderPartnerID
    }

    /// A party starting to default loses the proxies it gave or holds for
    /// the convention's meetings not yet held (called where the default is recorded).
    func dropProxies(of partnerID: String, convention: Convention, db: Connection, audit: AuditLog) throws {
        let rows = try db.query("SELECT document FROM meetings WHERE convention_id = ? AND status = ?", [convention.id, MeetingStatus.scheduled.rawValue])
        for row in rows {
            var meeting = try Meeting(row: row)
            let lost = meeting.proxies.filter { $0.grantorPartnerID == partnerID || $0.holderPartnerID == partnerID }
            guard !lost.isEmpty else { continue }
            meeting.proxies.removeAll { $0.grantorPartnerID == partnerID || $0.holderPartnerID == partnerID }
            meeting.updatedAt = audit.change.at.timestamp
            meeting.version += 1
            try saveMeeting(meeting, db: db, inserting: false)
            for proxy in lost {
                try audit.record("proxy.revoked", entityType: "meeting", entityID: meeting.id,
                                 changes: ["grantor_partner_id": .string(proxy.grantorPartnerID), "holder_partner_id": .string(proxy.holderPartnerID),
                                           "reason": "defaulting"],
                                 partners: convention.partnerIDs)
            }
        }
    }
}
