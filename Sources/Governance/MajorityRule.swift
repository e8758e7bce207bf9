/// How many yes votes a decision needs (§6 and §7 of the API contract).
public enum MajorityRule: Sendable, Hashable {
    /// Yes outweighs no (in the game: more than half the total weight).
    case simple
    /// Yes is more than half of the total weight.
    case absolute
    /// Yes is at least two thirds of yes + no.
    case twoThirds
    /// Yes is at least three quarters of yes + no.
    case threeQuarters
    /// Every party votes yes.
    case unanimity
    /// Yes outweighs no, and more parties vote yes than no.
    case doubleMajority
    /// Yes is at least this percentage of yes + no; valid in (50, 100].
    case percent(Rational)

    /// The rule named by its API string ("simple", "two_thirds", ...); numbers go through `percent`.
    public init?(name: String) {
        switch name {
        case "simple": self = .simple
        case "absolute": self = .absolute
        case "two_thirds": self = .twoThirds
        case "three_quarters": self = .threeQuarters
        case "unanimity": self = .unanimity
        case "double_majority": self = .doubleMajority
        default: return nil
        }
    }

    /// The API string of a named rule; `nil` for `percent`, which the API writes as a number.
    public var name: String? {
        switch self {
        case .simple: "simple"
        case .absolute: "absolute"
        case .twoThirds: "two_thirds"
        case .threeQuarters: "three_quarters"
        case .unanimity: "unanimity"
        case .doubleMajority: "double_majority"
        case .percent: nil
        }
    }

    /// The weight condition of the rule's voting game: a coalition's share of
    /// the total weight must reach `fraction` (or exceed it when `strict`).
    /// Unanimity is not a weight condition: it makes every party a veto party.
    var weightCondition: (fraction: Rational, strict: Bool) {
        switch self {
        case .simple, .absolute, .doubleMajority: (Rational(1, 2), true)
        case .twoThirds: (Rational(2, 3), false)
        case .threeQuarters: (Rational(3, 4), false)
        case .percent(let value): (value / Rational(100), false)
        case .unanimity: (Rational.zero, false)
        }
    }

    /// Whether a winning coalition must also hold a majority of the parties.
    var needsMajorityOfParties: Bool { self == .doubleMajority }
}
