import Governance
import JSON
import SQLite

/// A decision the parties of a convention vote on (API.md §7). Its electorate
/// and their weights are fixed when it opens: the revision in force, the
/// parties not defaulting then, and the governance of that text.
public struct Decision: Sendable {
    public let id: String
    public let conventionID: String
    public let revision: Int
    public let title: String
    public let description: String?
    /// The meeting whose agenda opened it, or first named it (API.md §13); its proxies apply to its votes.
    public internal(set) var meetingID: String?
    /// The rule as written (a name or a number).
    public let majority: JSON
    /// The governance at opening, with the decision's majority.
    let governance: JSONObject
    /// The electorate: non-defaulting parties at opening, with their pledges.
    let electorate: [(partnerID: String, contributionCents: Int64)]
    /// Each party's vote; `byProxy` names the holder who cast it for an absent grantor.
    public var votes: [(partnerID: String, choice: VoteChoice, castAt: String, byProxy: String?)]
    public var status: DecisionStatus
    public var outcome: DecisionOutcome?
    public let closesAt: String?
    public var closedAt: String?
    public let createdAt: String
    public var updatedAt: String
    public var version: Int

    /// The frozen weights, by partner id.
    public var weights: [String: Rational] {
        let rules = GovernanceSettings.rules(governance)
        let shares = (try? Governance.shares(of: electorate.map { Party(id: $0.partnerID, contributionCents: $0.contributionCents) }, under: rules)) ?? []
        return Dictionary(uniqueKeysWithValues: zip(electorate.map(\.partnerID), shares))
    }

    /// The count of the votes cast so far, under the frozen weights.
    public var tally: Tally { tally(weights: weights) }

    /// The count under `weights` (pass `weights` when it is already computed).
    public func tally(weights: [String: Rational]) -> Tally {
        let rules = GovernanceSettings.rules(governance)
        let parties = electorate.map { member in
            DecisionParty(id: member.partnerID, weight: weights[member.partnerID] ?? .zero, vote: votes.first { $0.partnerID == member.partnerID }?.choice)
        }
        return Governance.tally(parties: parties, majority: rules.majority, quorumPercent: rules.quorumPercent,
                                quorumMembersPercent: rules.quorumMembersPercent, vetoPartyIDs: Set(rules.vetoPartnerIDs))
    }

    /// The stored form (the `document` column): the fields `DecisionPresenter`
    /// serves but the tally (derived), plus the frozen electorate and governance.
    var document: JSONObject {
        let weights = self.weights
        return [
            "id": .string(id), "convention_id": .string(conventionID), "revision": .int(Int64(revision)),
            "title": .string(title), "description": description.json, "meeting_id": meetingID.json, "majority": majority,
            "status": .string(status.rawValue), "outcome": outcome.map { .string($0.rawValue) } ?? .null,
            "votes": .array(votes.map { vote in
                .object(["partner_id": .string(vote.partnerID), "choice": .string(vote.choice.rawValue),
                         "weight": .double((weights[vote.partnerID] ?? .zero).doubleValue), "cast_at": .string(vote.castAt),
                         "by_proxy": vote.byProxy.json])
            }),
            "closes_at": closesAt.json, "closed_at": closedAt.json, "created_at": .string(createdAt), "updated_at": .string(updatedAt),
            "version": .int(Int64(version)),
            "governance": .object(governance),
            "electorate": .array(electorate.map { .object(["partner_id": .string($0.partnerID), "contribution_cents": .int($0.contributionCents)]) }),
        ]
    }

    init(id: String, conventionID: String, revision: Int, title: String, description: String?, meetingID: String?, majority: JSON,
         governance: JSONObject, electorate: [(String, Int64)], closesAt: String?, at: Instant) {
        self.id = id
        self.conventionID = conventionID
        self.revision = revision
        self.title = title
        self.description = description
        self.meetingID = meetingID
        self.majority = majority
        self.governance = governance
        self.electorate = electorate
        self.votes = []
        self.status = .open
        self.outcome = nil
        self.closesAt = closesAt
        self.closedAt = nil
        self.createdAt = at.timestamp
        self.updatedAt = at.timestamp
        self.version = 1
    }

    init(row: Row) throws(CorruptRecord) {
        let stored = try StoredRecord(documentIn: row, table: "decisions")
        id = try stored.string("id")
        conventionID = try stored.string("convention_id")
        revision = Int(try stored.int("revision"))
        title = try stored.string("title")
        description = try stored.optionalString("description")
        meetingID = try stored.optionalString("meeting_id")
        majority = try stored.json("majority")
        governance = try stored.object("governance")
        electorate = try stored.records("electorate").map { member throws(CorruptRecord) in
            (try member.string("partner_id"), try member.int("contribution_cents"))
        }
        votes = try stored.records("votes").map { vote throws(CorruptRecord) in
            (try vote.string("partner_id"), try vote.value("choice"), try vote.string("cast_at"), try vote.optionalString("by_proxy"))
        }
        status = try stored.value("status")
        outcome = try stored.optionalString("outcome") == nil ? nil : try stored.value("outcome", as: DecisionOutcome.self)
        closesAt = try stored.optionalString("closes_at")
        closedAt = try stored.optionalString("closed_at")
        createdAt = try stored.string("created_at")
        updatedAt = try stored.string("updated_at")
        version = Int(try stored.int("version"))
    }

    var partnerIDs: [String] { electorate.map(\.partnerID) }
}
