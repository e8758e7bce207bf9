/// The power of each party in the voting game of a majority rule (§6).
public struct PowerIndices: Sendable {
    /// How the indices were obtained.
    public enum Method: String, Sendable {
        /// Exact counts; only the final divisions are floating point.
        case exact
        /// Bounds from weights rounded to a coarser grid; see `errorBound`.
        case approximate
    }

    /// The smallest weight share of a winning coalition (12/17 for the EEC Council of 1958).
    /// When `approximate`, the smallest share the rule accepts, a lower bound of it.
    public let quota: Rational
    public let method: Method
    /// When `approximate`: the largest possible absolute error of any index (a proven bound, not a confidence level).
    public let errorBound: Double?
    /// Normalised Penrose–Banzhaf index: swings over total swings.
    public let banzhaf: [Double]
    /// Raw swing counts: coalitions without the party that lose, but win with it.
    /// When `approximate`, the midpoint of the proven range.
    public let swings: [BigUInt]
    /// Shapley–Shubik index: share of the orderings in which the party is pivotal.
    public let shapleyShubik: [Double]
    /// The party belongs to every winning coalition (configured veto, or blocking in fact).
    public let veto: [Bool]
    /// The party is never decisive (no swing).
    public let dummy: [Bool]
}

/// Power indices of the parties holding `shares` (non-negative, summing to 1)
/// under `majority`, with the parties at `vetoIndices` holding a veto.
///
/// Exact whenever the integer weights total at most 10,000,000 or there are
/// at most 25 parties (§6) and the exact table fits the memory budget, and
/// whenever it is cheap; otherwise bounded. Throws when `cancellation` asks.
public func powerIndices(shares: [Rational], majority: MajorityRule, vetoIndices: Set<Int>,
                         cancellation: Cancellation) throws(ComputationCancelled) -> PowerIndices {
    try powerIndices(of: WeightedGame(shares: shares, majority: majority, vetoIndices: vetoIndices), engine: nil, cancellation: cancellation)
}

/// Power indices of blocs of parties that vote as one (API.md §13: a proxy
/// holder casts its grantors' votes with its own): `blocs` lists the indices
/// into `shares` of each bloc's members, and the result has one entry per bloc.
/// A bloc weighs its members' shares together, holds a veto when a member
/// does, and counts as its members toward a double majority.
///
/// Exact in every case §6 requires; a double majority with blocs of several
/// parties is counted coalition by coalition, for at most
/// `maxEnumeratedBlocs` blocs (`TooManyBlocs` beyond).
public func powerIndices(shares: [Rational], blocs: [[Int]], majority: MajorityRule, vetoIndices: Set<Int>,
                         cancellation: Cancellation) throws -> PowerIndices {
    let blocShares = blocs.map { members in members.reduce(Rational.zero) { $0 + shares[$1] } }
    let blocVetoes = Set(blocs.indices.filter { !vetoIndices.isDisjoint(with: blocs[$0]) })
    let game = WeightedGame(shares: blocShares, memberCounts: blocs.map(\.count), majority: majority, vetoIndices: blocVetoes)
    if game.countsBlocMembers && game.playerCount > maxEnumeratedBlocs { throw TooManyBlocs(count: game.playerCount) }
    return try powerIndices(of: game, engine: nil, cancellation: cancellation)
}

/// The most blocs a double majority with multi-party blocs is counted for.
public let maxEnumeratedBlocs = 25

/// A bloc game too large to count exactly (see `powerIndices(shares:blocs:…)`).
public struct TooManyBlocs: Error, Sendable {
    public let count: Int
}

/// The same, never cancelled.
public func powerIndices(shares: [Rational], majority: MajorityRule, vetoIndices: Set<Int>) -> PowerIndices {
    powerIndices(of: WeightedGame(shares: shares, majority: majority, vetoIndices: vetoIndices), engine: nil)
}

/// The counting algorithms; `nil` lets `powerIndices` choose the cheapest that is exact when §6 requires it.
enum CountingEngine: Sendable {
    case classEnumeration
    case meetInTheMiddle
    /// Counted in words of `word` (`nil`: the widest whose table fits the memory budget).
    case sizeWeightTable(word: TablePlan.Word?)
    /// Weights rounded down to a grid of `resolution` units for the total weight.
    case rounded(resolution: Int)
    /// Every coalition of players in turn: blocs under a rule that counts parties.
    case coalitionEnumeration
}

func powerIndices(of game: WeightedGame, engine: CountingEngine?, cancellation: Cancellation) throws(ComputationCancelled) -> PowerIndices {
    let split = VetoConditioning(game)
    let counter = GameCounter(game: game, split: split, cancellation: cancellation)
    switch engine ?? counter.cheapestEngine() {
    case .classEnumeration: return counter.finish(try counter.countByClasses())
    case .meetInTheMiddle: return counter.finish(try counter.countByMeetInTheMiddle())
    case .sizeWeightTable(let word): return counter.finish(try counter.countBySizeWeightTable(word: word))
    case .rounded(let resolution): return counter.finish(try counter.countRounded(resolution: resolution))
    case .coalitionEnumeration: return counter.finish(try counter.countByCoalitionEnumeration())
    }
}

func powerIndices(of game: WeightedGame, engine: CountingEngine?) -> PowerIndices {
    do {
        return try powerIndices(of: game, engine: engine, cancellation: .never)
    } catch {
        preconditionFailure("a computation that is never cancelled was cancelled")
    }
}
