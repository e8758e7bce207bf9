import Governance
import JSON
import SQLite

extension Registry {
    /// Opens a decision on a convention in force; its weights are frozen now.
    public func openDecision(convention id: String, fields: JSONObject, change: ChangeContext) throws -> Decision {
        var reader = FieldReader(fields, allowed: ["title", "description", "majority", "closes_at"])
        let title = reader.string("title", required: true, maxLength: 300, trimmed: true)
        let description = reader.string("description", maxLength: 10_000, freeText: true)
        let closesAt = reader.instant("closes_at")
        if let closesAt, closesAt <= change.at.timestamp { reader.fail("closes_at", "must be in the future") }
        let majority = fields["majority"].flatMap { $0.isNull ? nil : $0 }
        try reader.check()
        return try write(change) { db, audit in
            let convention = try fetchConvention(id, scope: .everything, db: db)
            guard convention.status == .inForce else {
                throw RegistryError.invalidTransition("Decisions open on a convention in force only.")
            }
            let defaulting = try defaultingParties(id, db: db)
            var governance = GovernanceSettings.excluding(defaulting, from: convention.governance)
            if let majority { governance["majority"] = majority }
            let electorate = convention.parties.filter { !defaulting.contains($0.partnerID) }.map { ($0.partnerID, $0.contributionCents) }
            var check = FieldReader([:], allowed: [])
            governance = GovernanceSettings.validate(governance, parties: electorate.map { Party(id: $0.0, contributionCents: $0.1) }, reader: &check)
            if !check.errors.isEmpty {
                let majorityErrors = check.errors.filter { $0.field == "governance.majority" }
                if !majorityErrors.isEmpty {
                    throw RegistryError.validation(majorityErrors.map { FieldError(field: "majority", message: $0.message) })
                }
                let details = check.errors.map(\.message).joined(separator: "; ")
                throw RegistryError.conflict("The convention's governance cannot weigh the parties that are not defaulting: \(details).")
            }
            let decision = Decision(id: Identifier.make("dec"), conventionID: id, revision: convention.revision, title: title!, description: description,
                                    majority: governance["majority"] ?? "simple", governance: governance, electorate: electorate, closesAt: closesAt, at: change.at)
            try db.run("INSERT INTO decisions (id, convention_id, status, closes_at, document, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       [decision.id, id, decision.status.rawValue, closesAt, JSON.object(decision.document).serialized(), decision.createdAt, decision.updatedAt, 1])
            try audit.record("decision.opened", entityType: "decision", entityID: decision.id,
                             changes: ["convention_id": .string(id), "title": .string(title!), "majority": decision.majority], partners: convention.partnerIDs)
            return decision
        }
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
    public func vote(decision id: String, fields: JSONObject, ifMatch: Int?, actingFor: String?, change: ChangeContext) throws -> (decision: Decision, created: Bool) {
        var reader = FieldReader(fields, allowed: ["partner_id", "choice"])
        let partnerID = reader.string("partner_id", required: true)
        let choice = reader.oneOf("choice", ["yes", "no", "abstain"], required: true).flatMap(VoteChoice.init(rawValue:))
        try reader.check()
        try closeIfDue(decisionIDs: [id])
        return try write(change) { db, audit in
            var decision = try fetchDecision(id, scope: actingFor.map(Scope.partner) ?? .everything, db: db)
            try Self.checkActing(actingFor, for: partnerID!)
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
            decision.votes.append((partnerID!, choice!, change.at.timestamp))
            decision.updatedAt = change.at.timestamp
            decision.version += 1
            try saveDecision(decision, db: db)
            try audit.record("decision.voted", entityType: "decision", entityID: id,
                             changes: ["partner_id": .string(partnerID!), "choice": .string(choice!.rawValue)], partners: decision.partnerIDs)
            return (decision, replaced == nil)
        }
    }

    public func closeDecision(_ id: String, ifMatch: Int?, change: ChangeContext) throws -> Decision {
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

    private func saveDecision(_ decision: Decision, db: Connection) throws {
        try db.run("UPDATE decisions SET status = ?, document = ?, updated_at = ?, version = ? WHERE id = ?",
                   [decision.status.rawValue, JSON.object(decision.document).serialized(), decision.updatedAt, decision.version, decision.id])
    }
}
