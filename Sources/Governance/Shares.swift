/// Each party's share of the total weight under `rules` (§6), in the order of
/// `parties`: exact fractions that sum to exactly 1 (empty for no parties).
///
/// Throws `GovernanceValidationError` listing every impossible setting.
public func shares(of parties: [Party], under rules: GovernanceRules) throws -> [Rational] {
    let problems = rules.validate(for: parties)
    guard problems.isEmpty else { throw GovernanceValidationError(problems: problems) }
    guard !parties.isEmpty else { return [] }

    var result = baseShares(of: parties, voting: rules.voting)
    if let cap = rules.capPercent { result = applyingCap(cap / Rational(100), to: result) }
    if let floor = rules.floorPercent { result = applyingFloor(floor / Rational(100), to: result) }
    return result
}

private func baseShares(of parties: [Party], voting: VotingModel) -> [Rational] {
    switch voting {
    case .equal:
        return Array(repeating: Rational(1, parties.count), count: parties.count)
    case .proportional:
        let total = parties.reduce(BigUInt()) { $0 + BigUInt(Int($1.contributionCents)) }
        return parties.map { Rational(numerator: BigUInt(Int($0.contributionCents)), denominator: total) }
    case .colleges(let colleges):
        var shareOfParty: [String: Rational] = [:]
        for college in colleges where !college.partnerIDs.isEmpty {
            let memberShare = college.weightPercent / Rational(100 * college.partnerIDs.count)
            for member in college.partnerIDs { shareOfParty[member] = memberShare }
        }
        return parties.map { shareOfParty[$0.id] ?? .zero }
    }
}

/// Cuts shares above `cap` to it and hands the excess to the parties below the
/// cap in proportion to their shares, until none exceeds it. Repeated rounds
/// scale every uncapped share by the same factor, so the fixed point is
/// computed directly: find the capped set, then scale the rest once.
/// If every uncapped share is zero, the excess is split equally among them
/// (proportion is undefined there).
func applyingCap(_ cap: Rational, to shares: [Rational]) -> [Rational] {
    var capped = Set(shares.indices.filter { cap < shares[$0] })
    guard !capped.isEmpty else { return shares }
    while true {
        let uncapped = shares.indices.filter { !capped.contains($0) }
        let remaining = Rational.one - cap * Rational(capped.count)
        let uncappedTotal = uncapped.map { shares[$0] }.sum()
        var result = shares
        for index in capped { result[index] = cap }
        for index in uncapped {
            result[index] = uncappedTotal.isZero
                ? remaining / Rational(uncapped.count)
                : shares[index] * remaining / uncappedTotal
        }
        let newlyOver = uncapped.filter { cap < result[$0] }
        if newlyOver.isEmpty { return result }
        capped.formUnion(newlyOver)
    }
}

/// Raises shares below `floor` to it, taking the difference from the parties
/// above the floor in proportion to their excess over it. One pass suffices:
/// since floor × parties ≤ 1, nobody is pushed below the floor.
func applyingFloor(_ floor: Rational, to shares: [Rational]) -> [Rational] {
    let below = shares.indices.filter { shares[$0] < floor }
    guard !below.isEmpty else { return shares }
    let deficit = below.map { floor - shares[$0] }.sum()
    let excessTotal = shares.filter { !($0 < floor) }.map { $0 - floor }.sum()
    return shares.map { share in
        if share < floor { return floor }
        return excessTotal.isZero ? share : share - deficit * (share - floor) / excessTotal
    }
}
