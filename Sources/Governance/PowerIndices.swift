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
    /// When `approximate`: the largest possible absolute error of any index
    /// computed (a proven bound, not a confidence level).
    public let errorBound: Double?
    /// Normalised Penrose–Banzhaf index: swings over total swings.
    /// Empty when `.banzhaf` was not among the indices asked for.
    public let banzhaf: [Double]
    /// Raw swing counts: coalitions without the party that lose, but win with it.
    /// When `approximate`, the midpoint of the proven range.
    public let swings: [BigUInt]
    /// Shapley–Shubik index: share of the orderings in which the party is pivotal.
    /// Empty when `.shapleyShubik` was not among the indices asked for.
    public let shapleyShubik: [Double]
    /// The party belongs to every winning coalition (configured veto, or blocking in fact).
    public let veto: [Bool]
    /// The party is never decisive (no swing).
    public let dummy: [Bool]
}

/// The power indices a computation is asked for. Banzhaf alone needs only
/// the weights of the coalitions; Shapley–Shubik also needs their sizes,
/// which costs more. Swing counts, veto and dummy flags and the quota come
/// with any selection, the empty one included.
public struct IndexSelection: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let banzhaf = IndexSelection(rawValue: 1 << 0)
    public static let shapleyShubik = IndexSelection(rawValue: 1 << 1)
    public static let both: IndexSelection = [.banzhaf, .shapleyShubik]
}

/// Power indices of the parties holding `shares` (non-negative, summing to 1)
/// under `majority`, with the parties at `vetoIndices` holding a veto; only
/// the `indices` asked for are filled in.
///
/// Exact whenever the integer weights total at most 10,000,000 or there are
/// at most 25 parties (§6) and the exact table fits the memory budget, and
/// whenever it is cheap; otherwise bounded. Throws when `cancellation` asks.
public func powerIndices(shares: [Rational], majority: MajorityRule, vetoIndices: Set<Int>, indices: IndexSelection = .both,
                         cancellation: Cancellation) throws(ComputationCancelled) -> PowerIndices {
    try powerIndices(of: WeightedGame(shares: shares, majority: majority, vetoIndices: vetoIndices), engine: nil,
                     indices: indices, cancellation: cancellation)
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
                         indices: IndexSelection = .both, cancellation: Cancellation) throws -> PowerIndices {
    let blocShares = blocs.map { members in members.reduce(Rational.zero) { $0 + shares[$1] } }
    let blocVetoes = Set(blocs.indices.filter { !vetoIndices.isDisjoint(with: blocs[$0]) })
    let game = WeightedGame(shares: blocShares, memberCounts: blocs.map(\.count), majority: majority, vetoIndices: blocVetoes)
    if game.countsBlocMembers && game.playerCount > maxEnumeratedBlocs { throw TooManyBlocs(count: game.playerCount) }
    return try powerIndices(of: game, engine: nil, indices: indices, cancellation: cancellation)
}

/// The most blocs a double majority with multi-party blocs is counted for.
public let maxEnumeratedBlocs = 25

/// A bloc game too large to count exactly (see `powerIndices(shares:blocs:…)`).
public struct TooManyBlocs: Error, Sendable {
    public let count: Int
}

/// The same, never cancelled.
public func powerIndices(shares: [Rational], majority: MajorityRule, vetoIndices: Set<Int>,
                         indices: IndexSelection = .both) -> PowerIndices {
    powerIndices(of: WeightedGame(shares: shares, majority: majority, vetoIndices: vetoIndices), engine: nil, indices: indices)
}

/// The counting algorithms; `nil` lets `powerIndices` choose the cheapest that is exact when §6 requires it.
enum CountingEngine: Sendable {
    case classEnumeration
    case meetInTheMiddle
    /// Counted in words of `word` (`nil`: the widest whose table fits the memory budget).
    case sizeWeightTable(word: TablePlan.Word?)
    /// Banzhaf only: the table by weight alone, without coalition sizes.
    case weightTable(word: TablePlan.Word?)
    /// Weights rounded down to a grid of `resolution` units for the total weight.
    case rounded(resolution: Int)
    /// Every coalition of players in turn: blocs under a rule that counts parties.
    case coalitionEnumeration
}

/// `engine` `nil` lets the counter choose; a forced `.weightTable` cannot
/// give Shapley–Shubik.
func powerIndices(of game: WeightedGame, engine: CountingEngine?, indices: IndexSelection = .both,
                  cancellation: Cancellation) throws(ComputationCancelled) -> PowerIndices {
    let split = VetoConditioning(game)
    let counter = GameCounter(game: game, split: split, indices: indices, cancellation: cancellation)
    let counted: CountedSwings
    switch engine ?? counter.cheapestEngine() {
    case .classEnumeration: counted = try counter.countByClasses()
    case .meetInTheMiddle: counted = try counter.countByMeetInTheMiddle()
    case .sizeWeightTable(let word): counted = try counter.countBySizeWeightTable(word: word)
    case .weightTable(let word): counted = try counter.countByWeightTable(word: word)
    case .rounded(let resolution): counted = try counter.countRounded(resolution: resolution)
    case .coalitionEnumeration: counted = try counter.countByCoalitionEnumeration()
    }
    return counter.finish(counted)
}

func powerIndices(of game: WeightedGame, engine: CountingEngine?, indices: IndexSelection = .both) -> PowerIndices {
    do {
        return try powerIndices(of: game, engine: engine, indices: indices, cancellation: .never)
    } catch {
        preconditionFailure("a computation that is never cancelled was cancelled")
    }
}
