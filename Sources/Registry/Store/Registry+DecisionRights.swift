import Governance
import JSON
import SQLite

extension Registry {
    /// `GET /v1/conventions/{id}/decision-rights`: for the text in force (or the draft's).
    public func decisionRights(convention id: String, scope: Scope, cancellation: Cancellation = .never) throws -> DecisionRightsAnswer {
        let (convention, holders) = try read { db in
            let convention = try fetchConvention(id, scope: scope, db: db)
            return (convention, try decisionRightsHolders(of: convention, db: db))
        }
        // Computed after the read, so a long computation holds no reader connection.
        var answer = try DecisionRights.compute(governance: convention.governance, holders: holders, cancellation: cancellation)
        answer.conventionID = id
        answer.revision = convention.revision
        return answer
    }

    /// The parties of a convention as the computation sees them.
    func decisionRightsHolders(of convention: Convention, db: Connection) throws -> [DecisionRights.Holder] {
        let defaulting = try defaultingParties(convention.id, db: db)
        return try convention.parties.map { party in
            let name = try db.queryOne("SELECT name FROM partners WHERE id = ?", [party.partnerID])?.string("name")
            return .init(id: party.partnerID, name: name, contributionCents: party.contributionCents, defaulting: defaulting.contains(party.partnerID))
        }
    }

    /// `POST /v1/governance/simulate`: the same figures for any parties, storing nothing.
    public func simulate(_ body: JSONObject, cancellation: Cancellation = .never) throws -> DecisionRightsAnswer {
        var reader = FieldReader(body, allowed: ["governance", "parties"])
        let governance = reader.object("governance", required: true) ?? [:]
        var holders: [DecisionRights.Holder] = []
        for (index, item) in (reader.array("parties", required: true) ?? []).enumerated() {
            guard let object = item.objectValue else {
                reader.fail("parties[\(index)]", "must be an object")
                continue
            }
            var inner = FieldReader(object, prefix: "parties[\(index)].", allowed: ["partner_id", "name", "contribution_cents"])
            let id = inner.string("partner_id", required: true)
            let name = inner.string("name", maxLength: 300)
            let cents = inner.integer("contribution_cents", minimum: 0, maximum: Money.maximumCents) ?? 0
            if let id, holders.contains(where: { $0.id == id }) { inner.fail("partner_id", "appears twice") }
            reader.absorb(inner.errors)
            if let id { holders.append(.init(id: id, name: name, contributionCents: cents)) }
        }
        if holders.isEmpty && reader.errors.isEmpty { reader.fail("parties", "at least one party") }
        if Money.sum(holders.map(\.contributionCents)) == nil {
            reader.fail("parties", "the contributions may not total more than \(Money.maximumCents) cents")
        }
        let normalized = GovernanceSettings.validate(governance, parties: holders.map { Party(id: $0.id, contributionCents: $0.contributionCents) }, reader: &reader)
        try reader.check()
        return try DecisionRights.compute(governance: normalized, holders: holders, cancellation: cancellation)
    }
}
