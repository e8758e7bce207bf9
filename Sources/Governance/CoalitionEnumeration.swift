/// Swing counts by visiting every coalition of players once, in Gray-code
/// order (each step adds or removes one player). Used for the games the other
/// engines do not model: blocs that count as several parties toward a
/// double majority (§13). 2^n coalitions of n players: for n ≤ 25 only.
extension GameCounter {
    func countByCoalitionEnumeration() throws(ComputationCancelled) -> CountedSwings {
        if game.totalWeight.bitWidth < 127 {
            return try enumerateCoalitions(weights: game.weights.map { $0.uint128Value! }, quota: game.quota.uint128Value!)
        }
        return try enumerateCoalitions(weights: game.weights, quota: game.quota)
    }

    private func enumerateCoalitions<Weight: CoalitionWeight>(weights: [Weight], quota: Weight) throws(ComputationCancelled) -> CountedSwings {
        let n = game.playerCount
        precondition(n <= 62, "coalition enumeration of \(n) players")
        var swings = [[UInt64]](repeating: [UInt64](repeating: 0, count: max(n, 1)), count: n)
        var members = [Bool](repeating: false, count: n)
        var weight = Weight.zero
        var size = 0, parties = 0, vetoesMissing = game.isVeto.filter { $0 }.count
        var leastWinning: Weight?
        let coalitions = UInt64(1) << UInt64(n)
        var step: UInt64 = 0
        while true {
            if vetoesMissing == 0, !(weight < quota), parties >= game.partiesQuota {
                if leastWinning.map({ weight < $0 }) ?? true { leastWinning = weight }
                for player in 0..<n where members[player] {
                    // Without `player`, S loses when a veto goes, the weight falls below the quota, or the parties do.
                    let loses = game.isVeto[player] || weight < quota + weights[player] || parties - game.memberCounts[player] < game.partiesQuota
                    if loses { swings[player][size - 1] += 1 }
                }
            }
            step += 1
            if step == coalitions { break }
            if step & 0xFFFF == 0 { try cancellation.check() }
            let player = step.trailingZeroBitCount
            members[player].toggle()
            let sign = members[player] ? 1 : -1
            size += sign
            parties += sign * game.memberCounts[player]
            if game.isVeto[player] { vetoesMissing -= sign }
            weight = members[player] ? weight + weights[player] : weight - weights[player]
        }
        let bySize = swings.map { $0.map { BigUInt($0) } }
        return CountedSwings(lower: bySize, upper: bySize, isExact: true, leastWinningWeight: leastWinning?.bigUIntValue ?? game.quota)
    }
}
