/// How the parties' weights are set (§6 `voting`).
public enum VotingModel: Sendable, Hashable {
    /// Every party has the same share.
    case equal
    /// Shares proportional to pledged contributions.
    case proportional
    /// Each college's weight split equally among its members.
    case colleges([College])
}

/// A group of parties that shares a fixed percentage of the total weight.
public struct College: Sendable, Hashable {
    public var name: String
    public var weightPercent: Rational
    public var partnerIDs: [String]

    public init(name: String, weightPercent: Rational, partnerIDs: [String]) {
        self.name = name
        self.weightPercent = weightPercent
        self.partnerIDs = partnerIDs
    }
}

/// A convention's `governance` object, already decoded from JSON.
public struct GovernanceRules: Sendable, Hashable {
    public var voting: VotingModel
    /// No party above this percentage (applied before the floor).
    public var capPercent: Rational?
    /// Every party at least this percentage.
    public var floorPercent: Rational?
    /// Share of the total weight (percent) that must take part in a decision.
    public var quorumPercent: Rational
    /// Share of the parties (percent) that must take part in a decision.
    public var quorumMembersPercent: Rational
    public var majority: MajorityRule
    /// Parties whose "no" blocks any decision.
    public var vetoPartnerIDs: [String]

    public init(voting: VotingModel, capPercent: Rational? = nil, floorPercent: Rational? = nil,
                quorumPercent: Rational = .zero, quorumMembersPercent: Rational = .zero,
                majority: MajorityRule = .simple, vetoPartnerIDs: [String] = []) {
        self.voting = voting
        self.capPercent = capPercent
        self.floorPercent = floorPercent
        self.quorumPercent = quorumPercent
        self.quorumMembersPercent = quorumMembersPercent
        self.majority = majority
        self.vetoPartnerIDs = vetoPartnerIDs
    }
}

/// A party holding decision rights. Defaulting parties are left out by the
/// caller: they have weight 0, no veto and both indices 0 (§6).
public struct Party: Sendable, Hashable {
    /// The partner id, or any label unique among the parties (simulation).
    public var id: String
    /// Pledged contribution, in cents; never negative.
    public var contributionCents: Int64

    public init(id: String, contributionCents: Int64) {
        self.id = id
        self.contributionCents = contributionCents
    }
}
