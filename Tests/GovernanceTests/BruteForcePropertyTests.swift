import TestSupport
import XCTest
@testable import Governance

/// Every engine against enumeration of all 2^n coalitions, on random games.
final class BruteForcePropertyTests: XCTestCase {
    private let rules: [MajorityRule] = [.simple, .absolute, .twoThirds, .threeQuarters, .unanimity, .doubleMajority]

    private func randomGame(_ random: inout SplitMix64) -> (shares: [Rational], rule: MajorityRule, vetoes: Set<Int>) {
        let n = Int.random(in: 1...12, using: &random)
        let maxWeight = [3, 20, 300].randomElement(using: &random)!
        var weights = (0..<n).map { _ in Int.random(in: 0...maxWeight, using: &random) }
        if weights.allSatisfy({ $0 == 0 }) { weights[0] = 1 }
        var rule = rules.randomElement(using: &random)!
        if Bool.random(using: &random) { rule = .percent(Rational(Int.random(in: 5_001...10_000, using: &random), 100)) }
        let vetoes = Set((0..<n).filter { _ in Int.random(in: 0..<6, using: &random) == 0 })
        return (sharesOf(weights), rule, vetoes)
    }

    func testEnginesMatchEnumeration() {
        var random = SplitMix64(state: 2024)
        for round in 0..<1_200 {
            let (shares, rule, vetoes) = randomGame(&random)
            let game = WeightedGame(shares: shares, majority: rule, vetoIndices: vetoes)
            let bySize = bruteForceSwings(game)
            let swings = bySize.map { $0.reduce(BigUInt(), +) }
            let totalSwings = swings.reduce(BigUInt(), +)
            let banzhaf = swings.map { Rational(negative: false, numerator: $0, denominator: totalSwings) }
            let shapley = shapleyShubik(fromSwingsBySize: bySize)
            let quota = Rational(negative: false, numerator: bruteForceLeastWinningWeight(game), denominator: game.totalWeight)
            for engine in exactEngines {
                let label = "round \(round) \(game.weights) q=\(game.quota) m=\(game.partiesQuota) vetoes=\(vetoes) engine \(String(describing: engine))"
                let indices = powerIndices(of: game, engine: engine)
                XCTAssertEqual(indices.swings, swings, label)
                assertClose(indices.banzhaf, banzhaf, label)
                assertClose(indices.shapleyShubik, shapley, label)
                XCTAssertEqual(indices.quota, quota, label)
                XCTAssertEqual(indices.dummy, swings.map(\.isZero), label)
                XCTAssertEqual(indices.banzhaf.reduce(0, +), 1, accuracy: 1e-9, label)
                XCTAssertEqual(indices.shapleyShubik.reduce(0, +), 1, accuracy: 1e-9, label)
                for (player, isDummy) in indices.dummy.enumerated() where isDummy {
                    XCTAssertEqual(indices.shapleyShubik[player], 0, label)
                }
                let vetoByEnumeration = (0..<game.playerCount).map { player in
                    !game.wins((0..<game.playerCount).map { $0 != player })
                }
                XCTAssertEqual(indices.veto, vetoByEnumeration, label)
                if (testRun?.failureCount ?? 0) > 0 { return }
            }
        }
    }

    /// For a plain weighted game, [q; w] and [W − q + 1; w] have the same swings.
    func testBanzhafInvariantUnderComplementaryQuota() {
        var random = SplitMix64(state: 7)
        for _ in 0..<300 {
            let n = Int.random(in: 1...12, using: &random)
            let weights = (0..<n).map { _ in Int.random(in: 1...30, using: &random) }
            let total = weights.reduce(0, +)
            let quota = Int.random(in: 1...total, using: &random)
            let game = integerGame(weights, quota: quota), dual = integerGame(weights, quota: total - quota + 1)
            for engine in exactEngines {
                XCTAssertEqual(powerIndices(of: game, engine: engine).swings, powerIndices(of: dual, engine: engine).swings,
                               "\(weights) q=\(quota)")
            }
        }
    }

    /// Rounded weights give intervals that contain the exact values, and the
    /// values reported still sum to 1 (API.md §6), whatever the rounding.
    func testRoundedBoundsContainExactValues() {
        var random = SplitMix64(state: 99)
        for round in 0..<300 {
            let (shares, rule, vetoes) = randomGame(&random)
            let game = WeightedGame(shares: shares, majority: rule, vetoIndices: vetoes)
            let exact = powerIndices(of: game, engine: nil)
            for resolution in [10, 100, 10_000] {
                let rounded = powerIndices(of: game, engine: .rounded(resolution: resolution))
                let label = "round \(round) \(game.weights) resolution \(resolution)"
                XCTAssertEqual(rounded.method, .approximate, label)
                let bound = rounded.errorBound!
                for (a, e) in zip(rounded.banzhaf + rounded.shapleyShubik, exact.banzhaf + exact.shapleyShubik) {
                    XCTAssertLessThanOrEqual(abs(a - e), bound, label)
                }
                for (name, values) in [("banzhaf", rounded.banzhaf), ("shapley_shubik", rounded.shapleyShubik)] where values.contains(where: { $0 > 0 }) {
                    XCTAssertEqual(values.reduce(0, +), 1, accuracy: 1e-9, "\(name) sums to 1: \(label)")
                }
                if (testRun?.failureCount ?? 0) > 0 { return }
            }
        }
    }
}
