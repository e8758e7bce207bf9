import Governance
import JSON
import SQLite

extension Registry {
    /// Opens a decision on a convention in force; its weights are frozen now.
    public func openDecision(convention id: String, fields: JSONObject, change: ChangeContext) throws -> Decision {
        let request = try DecisionRequest(fields, allowed: ["title", "description", "majority", "closes_at"], now: change.at, prefix: "")
        return try write(change) { db, audit in
            try openDecision(request, convention: try fetchConvention(id, scope: .everything, db: db), meetingID: nil, db: db, audit: audit)
        }
    }

    /// What a request to open a decision says, checked field by field.
    struct DecisionRequest {
        let title: String
        let description: String?
        let majority: JSON?
        let closesAt: String?
        /// Where the fields sit in the request body (`decision.` on an agenda item).
        let prefix: String

        init(_ fields: JSONObject, allowed: [String], now: Instant, prefix: String) throws(RegistryError) {
            var reader = FieldReader(fields, prefix: prefix, allowed: allowed)
            let title = reader.string("title", required: true, maxLength: 300, trimmed: true)
            description = reader.string("description", maxLength: 10_000, freeText: true)
            closesAt = reader.instant("closes_at")
            if let closesAt, closesAt <= now.timestamp { reader.fail("closes_at", "must be in the future") }
            majority = fields["majority"]?.nonNull
            try reader.check()
            self.title = title!
            self.prefix = prefix
        }
    }

    /// Opens a decision inside a write: the electorate is the parties not
    /// defaulting, the governance that of the text in force.
    func openDecision(_ request: DecisionRequest, convention: Convention, meetingID: String?, db: Connection, audit: AuditLog) throws -> Decision {
        guard convention.status == .inForce else {
            throw RegistryError.invalidTransition("Decisions open on a convention in force only.")
        }
        let defaulting = try defaultingParties(convention.id, db: db)
        var governance = GovernanceSettings.excluding(defaulting, from: convention.governance)
        if let majority = request.majority { governance["majority"] = majority }
        let electorate = convention.parties.filter { !defaulting.contains($0.partnerID) }.map { ($0.partnerID, $0.contributionCents) }
        var check = FieldReader([:], allowed: [])
        governance = GovernanceSettings.validate(governance, parties: electorate.map { Party(id: $0.0, contributionCents: $0.1) }, reader: &check)
        if !check.errors.isEmpty {
            let majorityErrors = check.errors.filter { $0.field == "governance.majority" }
            if !majorityErrors.isEmpty {
                throw RegistryError.validation(majorityErrors.map { FieldError(field: request.prefix + "majority", message: $0.message) })
            }
            let details = check.errors.map(\.message).joined(separator: "; ")
            throw RegistryError.conflict("The convention's governance cannot weigh the parties that are not defaulting: \(details).")
        }
        let decision = Decision(id: Identifier.make("dec"), conventionID: convention.id, revision: convention.revision, title: request.title,
                                description: request.description, meetingID: meetingID, majority: governance["majority"] ?? "simple",
                                governance: governance, electorate: electorate, closesAt: request.closesAt, at: audit.change.at)
        try db.run("INSERT INTO decisions (id, convention_id, status, closes_at, document, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   [decision.id, convention.id, decision.status.rawValue, request.closesAt, JSON.object(decision.document).serialized(),
                    decision.createdAt, decision.updatedAt, 1])
        var changes: JSONObject = ["convention_id": .string(convention.id), "title": .string(request.title), "majority": decision.majority]
        if let meetingID { changes["meeting_id"] = .string(meetingID) }
        try audit.record("decision.opened", entityType: "decision", entityID: decision.id, changes: .object(changes), partners: convention.partnerIDs)
        return decision
    }

    public func decision(_ id: String, scope: Scope) throws -> Decision {
        try closeIfDue(decisionIDs: [id])
        return try read { db in try fetchDecision(id, scope: scope, db: db) }
    }

    public func decisions(convention id: String, scope: Scope, page: PageRequest) throws -> Page<Decision> {
        _ = try convention(id, scope: scope)
        try closeDueDecisions()
        return try read { db in
            var query = ListQuery("SELECT seq, document FROM decisions")
            query.filter("convention_id = ?", id)
            let rows = try query.run(db, seqColumn: "seq", page: page)
            return page.page(try rows.map { row throws in (try row.seq(), try Decision(row: row)) })
        }
    }

    /// A party votes (or replaces its vote). Returns the decision and whether the vote is new.
    public func vote(decision id: String, fields: JSONObject, ifMatch: VersionPrecondition?, actingFor: String?, change: ChangeContext) throws -> (decision: Decision, created: Bool) {
        var reader = FieldReader(fields, allowed: ["partner_id", "choice"])
        let partnerID = reader.string("partner_id", required: true)
        let choice = reader.oneOf("choice", ["yes", "no", "abstain"], required: true).flatMap(VoteChoice.init(rawValue:))
        try reader.check()
        try closeIfDue(decisionIDs: [id])
        return try write(change) { db, audit in
            var decision = try fetchDecision(id, scope: Scope(actingFor: actingFor), db: db)
            // At a meeting, the holder of a party's proxy casts that party's vote.
            let holder = try decision.meetingID.flatMap { meetingID in try proxyHolder(for: partnerID!, meeting: meetingID, db: db) }
            if let actingFor, actingFor != partnerID!, actingFor != holder {
                throw RegistryError.forbidden("A partner key votes for its own partner and for the parties whose proxy it holds.")
            }
            try checkVersion(ifMatch, current: decision.version)
            let pastClosing = decision.closesAt.map { $0 <= change.at.timestamp } ?? false
            guard decision.status.canMove(to: .closed), !pastClosing else { throw RegistryError.conflict("The decision is closed.") }
            guard decision.partnerIDs.contains(partnerID!) else {
                throw RegistryError.conflict("Partner \(partnerID!) has no vote on this decision.")
            }
            if try defaultingParties(decision.conventionID, db: db).contains(partnerID!) {
                throw RegistryError.conflict("Partner \(partnerID!) is defaulting and cannot vote.")
            }
            let replaced = decision.votes.firstIndex { $0.partnerID == partnerID! }
            if let replaced { decision.votes.remove(at: replaced) }
            let byProxy = actingFor == partnerID ? nil : holder
            decision.votes.append((partnerID!, choice!, change.at.timestamp, byProxy))
            decision.updatedAt = change.at.timestamp
            decision.version += 1
            try saveDecision(decision, db: db)
            try audit.record("decision.voted", entityType: "decision", entityID: id,
                             changes: byProxy.map { ["partner_id": .string(partnerID!), "choice": .string(choice!.rawValue), "by_proxy": .string($0)] }
                                 ?? ["partner_id": .string(partnerID!), "choice": .string(choice!.rawValue)],
                             partners: decision.partnerIDs)
            return (decision, replaced == nil)
        }
    }

    public func closeDecision(_ id: String, ifMatch: VersionPrecondition?, change: ChangeContext) throws -> Decision {
        try closeIfDue(decisionIDs: [id])
        return try write(change) { db, audit in
            var decision = try fetchDecision(id, scope: .everything, db: db)
            try checkVersion(ifMatch, current: decision.version)
            guard decision.status.canMove(to: .closed) else { throw RegistryError.invalidTransition("The decision is already closed.") }
            try close(&decision, at: change.at.timestamp, db: db, audit: audit)
            return decision
        }
    }

    /// Closes every decision whose `closes_at` has passed (the background
    /// loop calls it, and so do the audit and event feeds before they read).
    public func closeDueDecisions() throws {
        let due = try read { db in
            try db.query("SELECT id FROM decisions WHERE status = ? AND closes_at <= ?", [DecisionStatus.open.rawValue, clock.now().timestamp]).compactMap { $0.string("id") }
        }
        try closeIfDue(decisionIDs: due)
    }

    /// Persists the closing of decisions whose `closes_at` has passed, as of that moment.
    func closeIfDue(decisionIDs: [String]) throws {
        let now = clock.now()
        for id in decisionIDs {
            let due = try read { db in
                try db.queryOne("SELECT closes_at FROM decisions WHERE id = ? AND status = ? AND closes_at <= ?", [id, DecisionStatus.open.rawValue, now.timestamp])?.string("closes_at")
            }
            guard let closesAt = due else { continue }
            try write(ChangeContext(actor: "system", requestID: "closes_at", at: now)) { db, audit in
                var decision = try fetchDecision(id, scope: .everything, db: db)
                guard decision.status.canMove(to: .closed) else { return }
                try close(&decision, at: closesAt, db: db, audit: audit)
            }
        }
    }

    private func close(_ decision: inout Decision, at: String, db: Connection, audit: AuditLog) throws {
        decision.outcome = decision.tally.projectedOutcome
        precondition(decision.status.canMove(to: .closed))
        decision.status = .closed
        decision.closedAt = at
        decision.updatedAt = audit.change.at.timestamp
        decision.version += 1
        try saveDecision(decision, db: db)
        try audit.record("decision.closed", entityType: "decision", entityID: decision.id,
                         changes: ["outcome": .string(decision.outcome!.rawValue)], partners: decision.partnerIDs)
    }

    func fetchDecision(_ id: String, scope: Scope, db: Connection) throws -> Decision {
        guard let row = try db.queryOne("SELECT document FROM decisions WHERE id = ?", [id], scopedBy: ScopeFilter.convention(scope, column: "decisions.convention_id")) else { throw RegistryError.notFound("No decision \(id).") }
        return try Decision(row: row)
    }

    /// An agenda item naming a decision makes it a decision of that meeting
    /// (API.md §13: proxies given for the meeting carry votes on it), unless
    /// it already is one of an earlier meeting, or is closed.
    func putOnAgenda(decision id: String, meeting meetingID: String, at: Instant, db: Connection) throws {
        var decision = try fetchDecision(id, scope: .everything, db: db)
        guard decision.meetingID == nil, decision.status.canMove(to: .closed) else { return }
        decision.meetingID = meetingID
        decision.updatedAt = at.timestamp
        decision.version += 1
        try saveDecision(decision, db: db)
    }

    private func saveDecision(_ decision: Decision, db: Connection) throws {
        try db.run("UPDATE decisions SET status = ?, document = ?, updated_at = ?, version = ? WHERE id = ?",
                   [decision.status.rawValue, JSON.object(decision.document).serialized(), decision.updatedAt, decision.version, decision.id])
    }
}
