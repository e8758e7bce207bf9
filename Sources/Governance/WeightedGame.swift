/// The weighted voting game a majority rule defines (§6): coalition S wins when
/// w(S) meets the rule's weight condition, the parties of S reach
/// `partiesQuota`, and S holds every veto player.
///
/// A player is usually one party; at a meeting (§13) it may be a bloc: a
/// proxy holder voting with its grantors, who weighs their shares together
/// and counts as `memberCounts` parties toward `partiesQuota`.
///
/// Weights are the exact shares brought to integers over their common
/// denominator and reduced by their GCD, so the game is the same as over the
/// shares, and `quota` is the least integer weight meeting the condition.
struct WeightedGame: Sendable {
    let weights: [BigUInt]
    let totalWeight: BigUInt
    let quota: BigUInt
    /// Smallest number of parties a winning coalition needs (0 when the rule does not count parties).
    let partiesQuota: Int
    /// The parties each player stands for (1 each, but for blocs).
    let memberCounts: [Int]
    /// Configured veto parties; every party under unanimity.
    let isVeto: [Bool]

    var playerCount: Int { weights.count }

    /// Shares must be non-negative; `vetoIndices` index into `shares`.
    init(shares: [Rational], majority: MajorityRule, vetoIndices: Set<Int>) {
        self.init(shares: shares, memberCounts: shares.map { _ in 1 }, majority: majority, vetoIndices: vetoIndices)
    }

    /// Players standing for `memberCounts` parties each (a bloc's share is the
    /// sum of its members'); a double majority counts the parties.
    init(shares: [Rational], memberCounts: [Int], majority: MajorityRule, vetoIndices: Set<Int>) {
        self.memberCounts = memberCounts
        let commonDenominator = shares.reduce(BigUInt(1)) { lcm, share in
            lcm / BigUInt.gcd(lcm, share.denominator) * share.denominator
        }
        var weights = shares.map { $0.numerator * (commonDenominator / $0.denominator) }
        let divisor = weights.reduce(BigUInt()) { BigUInt.gcd($0, $1) }
        if !divisor.isZero && divisor != BigUInt(1) { weights = weights.map { $0 / divisor } }
        self.weights = weights
        self.totalWeight = weights.reduce(BigUInt(), +)

        let (fraction, strict) = majority.weightCondition
        let threshold = fraction * Rational(negative: false, numerator: totalWeight, denominator: BigUInt(1))
        self.quota = strict ? threshold.floorMagnitude + BigUInt(1) : threshold.ceilingMagnitude
        self.partiesQuota = majority.needsMajorityOfParties ? memberCounts.reduce(0, +) / 2 + 1 : 0
        self.isVeto = shares.indices.map { majority == .unanimity || vetoIndices.contains($0) }
    }

    /// A game given directly by integer weights and quotas (tests use it for quotas no rule produces).
    init(weights: [BigUInt], quota: BigUInt, partiesQuota: Int, isVeto: [Bool]) {
        self.weights = weights
        self.totalWeight = weights.reduce(BigUInt(), +)
        self.quota = quota
        self.partiesQuota = partiesQuota
        self.memberCounts = weights.map { _ in 1 }
        self.isVeto = isVeto
    }

    /// The parties all players stand for.
    var memberTotal: Int { memberCounts.reduce(0, +) }

    /// Whether a player stands for several parties under a rule that counts
    /// parties: only the enumeration engine counts those games.
    var countsBlocMembers: Bool { partiesQuota > 0 && memberCounts.contains { $0 != 1 } }

    /// Whether the coalition (a membership flag per party) wins.
    func wins(_ members: [Bool]) -> Bool {
        var weight = BigUInt(), size = 0
        for (index, isMember) in members.enumerated() {
            if isMember {
                weight += weights[index]
                size += memberCounts[index]
            } else if isVeto[index] {
                return false
            }
        }
        return !(weight < quota) && size >= partiesQuota
    }
}
