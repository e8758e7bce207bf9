/// One player's swings: by coalition size |S| (index s), which Shapley–Shubik
/// needs, or only their total, which is all Banzhaf needs.
enum SwingCounts: Hashable, Sendable {
    case bySize([BigUInt])
    case total(BigUInt)
}

/// Swing counts for every player, as proven lower and upper bounds (the same
/// when exact).
struct CountedSwings: Sendable {
    let lower: [SwingCounts]
    let upper: [SwingCounts]
    let isExact: Bool
    /// The least weight of a winning coalition; `nil` when rounded.
    let leastWinningWeight: BigUInt?

    /// Counts by coalition size.
    init(lower: [[BigUInt]], upper: [[BigUInt]], isExact: Bool, leastWinningWeight: BigUInt?) {
        self.lower = lower.map(SwingCounts.bySize)
        self.upper = upper.map(SwingCounts.bySize)
        self.isExact = isExact
        self.leastWinningWeight = leastWinningWeight
    }

    /// Exact totals only.
    init(totals: [BigUInt], leastWinningWeight: BigUInt) {
        lower = totals.map(SwingCounts.total)
        upper = lower
        isExact = true
        self.leastWinningWeight = leastWinningWeight
    }
}

/// Runs one counting engine on a game and turns its counts into indices.
struct GameCounter: Sendable {
    let game: WeightedGame
    let split: VetoConditioning
    let indices: IndexSelection
    let cancellation: Cancellation
    /// The weights as machine integers, when their total leaves headroom for sums.
    private let integerWeights: [Int]?

    init(game: WeightedGame, split: VetoConditioning, indices: IndexSelection = .both, cancellation: Cancellation = .never) {
        self.game = game
        self.split = split
        self.indices = indices
        self.cancellation = cancellation
        integerWeights = game.totalWeight.bitWidth <= 62 ? game.weights.map { $0.intValue! } : nil
    }

    private var freeCount: Int { split.freeIndices.count }

    /// Integer view of the game net of veto parties: (free weights, quota, parties quota).
    private func netIntegerGame() -> (freeWeights: [Int], quota: Int, partiesQuota: Int)? {
        guard let weights = integerWeights else { return nil }
        let vetoWeight = split.vetoIndices.reduce(0) { $0 + weights[$1] }
        return (split.freeIndices.map { weights[$0] }, game.quota.intValue! - vetoWeight,
                game.partiesQuota - split.vetoCount)
    }

    /// The most memory one computation's table may take. The size-weight
    /// table is the only engine whose memory grows with the weights: it is
    /// counted in the widest word that fits (`TablePlan`), and past the
    /// narrowest the game is counted on rounded weights, with a proven bound.
    static let memoryBudgetBytes = 1024.0 * 1024 * 1024

    /// Whether the counts must be split by coalition size: for Shapley–Shubik,
    /// or when the rule counts parties beyond the veto parties.
    private var needsSizes: Bool {
        indices.contains(.shapleyShubik) || game.partiesQuota > split.vetoCount
    }

    /// The cheapest engine, exact whenever §6 requires it (total weight ≤ 10^7
    /// or ≤ 25 parties) and the exact table fits `memoryBudgetBytes`.
    func cheapestEngine() -> CountingEngine {
        if game.countsBlocMembers { return .coalitionEnumeration }
        let budget = 300_000_000.0
        let free = Double(freeCount)
        let meetInTheMiddleCost = freeCount <= 25 ? free * free * Double(1 << (freeCount / 2 + 1)) : .infinity
        guard let net = netIntegerGame() else {
            return freeCount <= 25 ? .meetInTheMiddle : .rounded(resolution: roundingResolution(budget: budget))
        }
        let classes = ClassEnumeration(freeWeights: net.freeWeights, quota: net.quota, partiesQuota: net.partiesQuota)
        let distinctWeights = Set(net.freeWeights).count
        if Double(classes.prefixCount) * Double(distinctWeights + 2) <= 200_000 { return .classEnumeration }
        let plan = TablePlan(freeCount: freeCount, width: max(net.quota, 0), sizes: needsSizes, budgetBytes: Self.memoryBudgetBytes)
        let tableCost = (needsSizes ? free * free : free) * Double(max(net.quota, 1)) * Double(plan?.passes ?? 1)
        if meetInTheMiddleCost <= tableCost { return .meetInTheMiddle }
        if let plan, tableCost <= budget || game.totalWeight <= BigUInt(10_000_000) {
            return needsSizes ? .sizeWeightTable(word: plan.word) : .weightTable(word: plan.word)
        }
        if freeCount <= 25 { return .meetInTheMiddle }
        return .rounded(resolution: roundingResolution(budget: budget))
    }

    /// Grid size for the total weight so that the rounded table stays within
    /// `budget` cell updates and the memory budget.
    private func roundingResolution(budget: Double) -> Int {
        let free = Double(max(freeCount, 1))
        var resolution = Int(min(10_000_000, max(1_000, budget / (free * free))))
        while resolution > 1_000 && TablePlan(freeCount: freeCount, width: resolution, budgetBytes: Self.memoryBudgetBytes) == nil {
            resolution /= 2
        }
        return resolution
    }

    // MARK: Engines

    /// `count` of each weight in `weights`, computed once per distinct weight
    /// (parties of equal weight have equal swings), checking for cancellation before each.
    private func perDistinctWeight<Count>(_ weights: [Int], _ count: (Int) -> Count) throws(ComputationCancelled) -> [Count] {
        var byWeight: [Int: Count] = [:]
        return try weights.map { weight throws(ComputationCancelled) in
            if let known = byWeight[weight] { return known }
            try cancellation.check()
            let counted = count(weight)
            byWeight[weight] = counted
            return counted
        }
    }

    func countByClasses() throws(ComputationCancelled) -> CountedSwings {
        let net = netIntegerGame()!
        let classes = ClassEnumeration(freeWeights: net.freeWeights, quota: net.quota, partiesQuota: net.partiesQuota)
        let least = BigUInt(classes.minimumWinningWeight()) + split.vetoWeight
        if !indices.contains(.shapleyShubik) {
            let free = try perDistinctWeight(net.freeWeights, classes.swingTotalOfFreeParty(weight:))
            let veto = split.vetoIndices.isEmpty ? nil : classes.winningCoalitionTotal()
            return CountedSwings(totals: split.swingTotals(playerCount: game.playerCount, free: free, veto: veto),
                                 leastWinningWeight: least)
        }
        let free = try perDistinctWeight(net.freeWeights, classes.swingsOfFreeParty(weight:))
        let veto = split.vetoIndices.isEmpty ? [] : classes.winningCoalitions()
        let bySize = split.swingsBySize(playerCount: game.playerCount, free: free, veto: veto)
        return CountedSwings(lower: bySize, upper: bySize, isExact: true, leastWinningWeight: least)
    }

    func countByMeetInTheMiddle() throws(ComputationCancelled) -> CountedSwings {
        if game.totalWeight.bitWidth < 127 {
            return try countByMeetInTheMiddle(weights: game.weights.map { $0.uint128Value! }, quota: game.quota.uint128Value!,
                                          vetoWeight: split.vetoWeight.uint128Value!)
        }
        return try countByMeetInTheMiddle(weights: game.weights, quota: game.quota, vetoWeight: split.vetoWeight)
    }

    private func countByMeetInTheMiddle<Weight: CoalitionWeight>(weights: [Weight], quota: Weight,
                                                                 vetoWeight: Weight) throws(ComputationCancelled) -> CountedSwings {
        let engine = MeetInTheMiddle(freeWeights: split.freeIndices.map { weights[$0] }, quota: quota,
                                     baseWeight: vetoWeight, partiesQuota: game.partiesQuota - split.vetoCount)
        var byWeight: [Weight: [BigUInt]] = [:]
        let free = try split.freeIndices.indices.map { position throws(ComputationCancelled) in
            let weight = weights[split.freeIndices[position]]
            if let known = byWeight[weight] { return known }
            try cancellation.check()
            let counts = engine.swingsOfFreeParty(at: position)
            byWeight[weight] = counts
            return counts
        }
        let veto = split.vetoIndices.isEmpty ? [] : engine.winningCoalitions()
        let bySize = split.swingsBySize(playerCount: game.playerCount, free: free, veto: veto)
        return CountedSwings(lower: bySize, upper: bySize, isExact: true,
                             leastWinningWeight: engine.minimumWinningWeight().bigUIntValue)
    }

    func countBySizeWeightTable(word: TablePlan.Word?) throws(ComputationCancelled) -> CountedSwings {
        let net = netIntegerGame()!
        let vetoWeight = split.vetoWeight.intValue!
        let thresholds = WinThresholds(definite: game.quota.intValue!, possibleBase: nil, partiesQuota: game.partiesQuota)
        let counted = try countByTable(freeWeights: net.freeWeights, vetoWeight: vetoWeight, thresholds: thresholds, word: word)
        let least = leastWinningWeight(freeWeights: net.freeWeights, quota: net.quota, partiesQuota: net.partiesQuota)
        return CountedSwings(lower: counted.lower, upper: counted.upper, isExact: true,
                             leastWinningWeight: BigUInt(least + vetoWeight))
    }

    /// Banzhaf only, for rules that do not count parties beyond the veto parties.
    func countByWeightTable(word: TablePlan.Word?) throws(ComputationCancelled) -> CountedSwings {
        precondition(!needsSizes, "the weight table counts no coalition sizes")
        let net = netIntegerGame()!
        let width = max(0, net.quota)
        let plan = word.map { TablePlan(word: $0, freeCount: freeCount, width: width, sizes: false) }
            ?? TablePlan(freeCount: freeCount, width: width, sizes: false, budgetBytes: Self.memoryBudgetBytes)
        guard let plan else { preconditionFailure("a weight table below \(width) was chosen over the memory budget") }
        let counted = try plan.countTotals(freeWeights: net.freeWeights, hasVeto: split.vetoCount > 0, cancellation: cancellation)
        let free = net.freeWeights.map { counted.byWeight[$0]! }
        let least = leastWinningWeight(freeWeights: net.freeWeights, quota: net.quota, partiesQuota: net.partiesQuota)
        return CountedSwings(totals: split.swingTotals(playerCount: game.playerCount, free: free, veto: counted.veto),
                             leastWinningWeight: BigUInt(least) + split.vetoWeight)
    }

    /// Bounds from weights rounded down to a grid of `resolution` for the total.
    /// A coalition of s parties then truly weighs between its rounded weight x
    /// and x + s (each rounding lost less than one unit), so a coalition is
    /// counted in the lower bound only when it swings whatever the lost
    /// fractions were, and in the upper bound when it may swing for some.
    func countRounded(resolution: Int) throws(ComputationCancelled) -> CountedSwings {
        let scale = BigUInt(resolution)
        let rounded = game.weights.map { ($0 * scale / game.totalWeight).intValue! }
        // Winning needs weight ≥ quota, i.e. rescaled weight ≥ θ = quota · resolution / total.
        let threshold = Rational(numerator: game.quota * scale, denominator: game.totalWeight)
        let thresholds = WinThresholds(definite: threshold.ceilingMagnitude.intValue!,
                                       possibleBase: threshold.floorMagnitude.intValue! + 1,
                                       partiesQuota: game.partiesQuota)
        let vetoWeight = split.vetoIndices.reduce(0) { $0 + rounded[$1] }
        let counted = try countByTable(freeWeights: split.freeIndices.map { rounded[$0] }, vetoWeight: vetoWeight,
                                       thresholds: thresholds, word: nil)
        return CountedSwings(lower: counted.lower, upper: counted.upper, isExact: false, leastWinningWeight: nil)
    }

    private func countByTable(freeWeights: [Int], vetoWeight: Int, thresholds: WinThresholds,
                              word: TablePlan.Word?) throws(ComputationCancelled) -> (lower: [[BigUInt]], upper: [[BigUInt]]) {
        let width = max(0, thresholds.definite - vetoWeight)
        let plan = word.map { TablePlan(word: $0, freeCount: freeWeights.count, width: width) }
            ?? TablePlan(freeCount: freeWeights.count, width: width, budgetBytes: Self.memoryBudgetBytes)
        guard let plan else {
            preconditionFailure("a table of \(freeWeights.count) parties below \(width) was chosen over the memory budget")
        }
        let counted = try plan.count(freeWeights: freeWeights, vetoWeight: vetoWeight, vetoCount: split.vetoCount,
                                     thresholds: thresholds, cancellation: cancellation)
        let free = freeWeights.map { counted.byWeight[$0]! }
        return (split.swingsBySize(playerCount: game.playerCount, free: free.map(\.lower), veto: counted.veto.lower),
                split.swingsBySize(playerCount: game.playerCount, free: free.map(\.upper), veto: counted.veto.upper))
    }
}
