import XCTest
@testable import Governance

/// Every exact engine, forced, plus the automatic choice.
let exactEngines: [CountingEngine?] = [nil, .classEnumeration, .meetInTheMiddle, .sizeWeightTable(word: nil),
                                        .sizeWeightTable(word: .bits16)]

/// A game [quota; weights] with optional veto parties and parties quota.
func integerGame(_ weights: [Int], quota: Int, partiesQuota: Int = 0, vetoes: Set<Int> = []) -> WeightedGame {
    WeightedGame(weights: weights.map { BigUInt($0) }, quota: BigUInt(quota), partiesQuota: partiesQuota,
                 isVeto: weights.indices.map { vetoes.contains($0) })
}

/// Shares w_i / Σw.
func sharesOf(_ weights: [Int]) -> [Rational] {
    let total = weights.reduce(0, +)
    return weights.map { Rational($0, total) }
}

/// Whether each of the 2^n coalitions (bit i: party i) wins, by direct evaluation.
func winningCoalitionMasks(_ game: WeightedGame) -> [Bool] {
    let n = game.playerCount
    let weights = game.weights.map { $0.intValue! }, quota = game.quota.intValue!
    let vetoMask = (0..<n).filter { game.isVeto[$0] }.reduce(0) { $0 | 1 << $1 }
    return (0..<(1 << n)).map { mask in
        let weight = (0..<n).filter { mask >> $0 & 1 == 1 }.reduce(0) { $0 + weights[$1] }
        return weight >= quota && mask.nonzeroBitCount >= game.partiesQuota && mask & vetoMask == vetoMask
    }
}

/// Swing counts by coalition size, by enumerating all 2^n coalitions: the reference.
func bruteForceSwings(_ game: WeightedGame) -> [[BigUInt]] {
    let n = game.playerCount
    let wins = winningCoalitionMasks(game)
    var bySize = [[Int]](repeating: [Int](repeating: 0, count: n), count: n)
    for mask in 0..<(1 << n) where !wins[mask] {
        for player in 0..<n where mask >> player & 1 == 0 && wins[mask | 1 << player] {
            bySize[player][mask.nonzeroBitCount] += 1
        }
    }
    return bySize.map { $0.map { BigUInt($0) } }
}

/// The least weight of a winning coalition, by enumeration.
func bruteForceLeastWinningWeight(_ game: WeightedGame) -> BigUInt {
    let wins = winningCoalitionMasks(game)
    return (0..<wins.count).filter { wins[$0] }.map { mask in
        (0..<game.playerCount).filter { mask >> $0 & 1 == 1 }.reduce(BigUInt()) { $0 + game.weights[$1] }
    }.min()!
}

/// Exact Shapley–Shubik values from swings by size.
func shapleyShubik(fromSwingsBySize bySize: [[BigUInt]]) -> [Rational] {
    let n = bySize.count
    func factorial(_ k: Int) -> BigUInt { (0..<k).reduce(BigUInt(1)) { $0 * BigUInt($1 + 1) } }
    return bySize.map { counts in
        counts.enumerated().reduce(Rational.zero) { sum, entry in
            sum + Rational(negative: false, numerator: entry.element * factorial(entry.offset) * factorial(n - 1 - entry.offset),
                           denominator: factorial(n))
        }
    }
}

func assertClose(_ actual: [Double], _ expected: [Rational], accuracy: Double = 1e-12,
                 _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, message, file: file, line: line)
    for (a, e) in zip(actual, expected) {
        XCTAssertEqual(a, e.doubleValue, accuracy: accuracy, message, file: file, line: line)
    }
}
