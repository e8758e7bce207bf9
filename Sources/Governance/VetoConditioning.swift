/// Splits a game into its veto parties, who are in every winning coalition,
/// and the free parties, whose subsets T the counting engines enumerate.
///
/// A free party i swings for S = V ∪ T (T ⊆ F∖{i}) when V ∪ T loses and
/// V ∪ T ∪ {i} wins. A veto party swings for S = (V∖{i}) ∪ T (T ⊆ F) exactly
/// when V ∪ T wins, since S lacks it and so always loses: every veto party has
/// the same swings.
struct VetoConditioning: Sendable {
    let freeIndices: [Int]
    let vetoIndices: [Int]
    let vetoWeight: BigUInt

    init(_ game: WeightedGame) {
        freeIndices = game.isVeto.indices.filter { !game.isVeto[$0] }
        vetoIndices = game.isVeto.indices.filter { game.isVeto[$0] }
        vetoWeight = vetoIndices.reduce(BigUInt()) { $0 + game.weights[$1] }
    }

    var vetoCount: Int { vetoIndices.count }

    /// Swing counts by coalition size |S| for every party, from the engines'
    /// counts by |T|: `free[j]` for the j-th free party, `veto` for any veto party.
    func swingsBySize(playerCount: Int, free: [[BigUInt]], veto: [BigUInt]) -> [[BigUInt]] {
        var result = [[BigUInt]](repeating: [], count: playerCount)
        func shifted(_ byFreeSize: [BigUInt], by offset: Int) -> [BigUInt] {
            var bySize = [BigUInt](repeating: BigUInt(), count: playerCount)
            for (size, count) in byFreeSize.enumerated() where !count.isZero {
                bySize[size + offset] = count
            }
            return bySize
        }
        for (position, index) in freeIndices.enumerated() {
            result[index] = shifted(free[position], by: vetoCount)
        }
        if !vetoIndices.isEmpty {
            let vetoProfile = shifted(veto, by: vetoCount - 1)
            for index in vetoIndices { result[index] = vetoProfile }
        }
        return result
    }

    /// Swing totals for every party, from the engines' totals: `free[j]` for
    /// the j-th free party, `veto` for any veto party.
    func swingTotals(playerCount: Int, free: [BigUInt], veto: BigUInt?) -> [BigUInt] {
        var result = [BigUInt](repeating: BigUInt(), count: playerCount)
        for (position, index) in freeIndices.enumerated() { result[index] = free[position] }
        if let veto { for index in vetoIndices { result[index] = veto } }
        return result
    }
}
