/// A party's vote on a decision.
public enum VoteChoice: String, Sendable, Hashable {
    case yes, no, abstain
}

/// How a decision closes (§7).
public enum DecisionOutcome: String, Sendable, Hashable {
    case adopted, rejected, vetoed
    case noQuorum = "no_quorum"
}

/// A party of a decision: its frozen weight and its vote, if any.
public struct DecisionParty: Sendable, Hashable {
    public var id: String
    /// The party's share, frozen when the decision opened.
    public var weight: Rational
    /// `nil` while the party has not voted.
    public var vote: VoteChoice?

    public init(id: String, weight: Rational, vote: VoteChoice?) {
        self.id = id
        self.weight = weight
        self.vote = vote
    }
}

/// The running count of a decision (§7 `tally`): weights are shares of the total weight.
public struct Tally: Sendable, Hashable {
    public let present: Rational
    public let yes: Rational
    public let no: Rational
    public let abstain: Rational
    public let partiesTotal: Int
    public let partiesPresent: Int
    public let quorumReached: Bool
    /// What closing the decision now would give.
    public let projectedOutcome: DecisionOutcome
}

/// Counts the votes of `parties` (the non-defaulting parties when the decision
/// opened) and applies §7 in order: no quorum, veto, then the majority rule.
/// Abstentions count toward the quorum only; a tie, or no yes vote at all, is rejected.
public func tally(parties: [DecisionParty], majority: MajorityRule, quorumPercent: Rational,
                  quorumMembersPercent: Rational, vetoPartyIDs: Set<String>) -> Tally {
    func weight(of choice: VoteChoice) -> Rational {
        parties.filter { $0.vote == choice }.map(\.weight).sum()
    }
    func count(of choice: VoteChoice) -> Int { parties.filter { $0.vote == choice }.count }
    let total = parties.map(\.weight).sum()
    let yes = weight(of: .yes), no = weight(of: .no), abstain = weight(of: .abstain)
    let present = yes + no + abstain
    let partiesPresent = parties.filter { $0.vote != nil }.count
    let hundred = Rational(100)

    // Reaching the quorum exactly is enough.
    let quorumReached = !(present < quorumPercent / hundred * total)
        && !(Rational(partiesPresent) < quorumMembersPercent / hundred * Rational(parties.count))

    let outcome: DecisionOutcome
    if !quorumReached {
        outcome = .noQuorum
    } else if parties.contains(where: { vetoPartyIDs.contains($0.id) && $0.vote == .no }) {
        outcome = .vetoed
    } else if count(of: .yes) == 0 || yes == no {
        outcome = .rejected
    } else {
        outcome = majorityAdopts(majority, yes: yes, no: no, total: total,
                                 yesCount: count(of: .yes), noCount: count(of: .no), partyCount: parties.count)
            ? .adopted : .rejected
    }

    func share(_ value: Rational) -> Rational { total.isZero ? .zero : value / total }
    return Tally(present: share(present), yes: share(yes), no: share(no), abstain: share(abstain),
                 partiesTotal: parties.count, partiesPresent: partiesPresent,
                 quorumReached: quorumReached, projectedOutcome: outcome)
}

/// The majority rule of §7 on the weights of yes and no votes.
private func majorityAdopts(_ majority: MajorityRule, yes: Rational, no: Rational, total: Rational,
                            yesCount: Int, noCount: Int, partyCount: Int) -> Bool {
    func reaches(_ fraction: Rational) -> Bool { !(yes < fraction * (yes + no)) }
    switch majority {
    case .simple: return no < yes
    case .absolute: return total / Rational(2) < yes
    case .twoThirds: return reaches(Rational(2, 3))
    case .threeQuarters: return reaches(Rational(3, 4))
    case .percent(let percent): return reaches(percent / Rational(100))
    case .unanimity: return yesCount == partyCount
    case .doubleMajority: return no < yes && noCount < yesCount
    }
}
