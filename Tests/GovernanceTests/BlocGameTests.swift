import TestSupport
import XCTest
@testable import Governance

/// Meetings (API.md §13): a proxy holder votes as one bloc with its grantors.
/// The bloc game's indices against a brute force written from the party-level
/// rule: a coalition of blocs wins when the parties of its blocs, voting yes
/// while every other party votes no, would adopt the decision under §6.
final class BlocGameTests: XCTestCase {
    private let rules: [MajorityRule] = [.simple, .absolute, .twoThirds, .threeQuarters, .unanimity, .doubleMajority]

    /// Whether the parties in `members` win under `rule` (§6's game).
    private func partiesWin(_ members: Set<Int>, weights: [Int], rule: MajorityRule, vetoes: Set<Int>) -> Bool {
        let total = weights.reduce(0, +), n = weights.count
        let weight = members.reduce(0) { $0 + weights[$1] }
        guard vetoes.isSubset(of: members) else { return false }
        switch rule {
        case .unanimity: return members.count == n
        case .doubleMajority: return 2 * weight > total && 2 * members.count > n
        default:
            let (fraction, strict) = rule.weightCondition
            let share = Rational(weight, total)
            return strict ? fraction < share : !(share < fraction)
        }
    }

    /// Swings by coalition size (in blocs) and the least winning weight, by enumeration of bloc coalitions.
    private func bruteForce(weights: [Int], blocs: [[Int]], rule: MajorityRule, vetoes: Set<Int>) -> (swings: [[BigUInt]], leastWinning: Int?) {
        let m = blocs.count
        func parties(_ mask: Int) -> Set<Int> { Set((0..<m).filter { mask >> $0 & 1 == 1 }.flatMap { blocs[$0] }) }
        let wins = (0..<(1 << m)).map { partiesWin(parties($0), weights: weights, rule: rule, vetoes: vetoes) }
        var bySize = [[Int]](repeating: [Int](repeating: 0, count: m), count: m)
        for mask in 0..<(1 << m) where !wins[mask] {
            for bloc in 0..<m where mask >> bloc & 1 == 0 && wins[mask | 1 << bloc] { bySize[bloc][mask.nonzeroBitCount] += 1 }
        }
        let least = (0..<(1 << m)).filter { wins[$0] }.map { parties($0).reduce(0) { $0 + weights[$1] } }.min()
        return (bySize.map { $0.map { BigUInt($0) } }, least)
    }

    /// Random parties split into random blocs (each bloc a holder and its grantors).
    private func randomBlocs(_ n: Int, _ random: inout SplitMix64) -> [[Int]] {
        var blocs: [[Int]] = []
        for party in (0..<n).shuffled(using: &random) {
            if !blocs.isEmpty, Int.random(in: 0..<3, using: &random) == 0 {
                blocs[Int.random(in: 0..<blocs.count, using: &random)].append(party)
            } else {
                blocs.append([party])
            }
        }
        return blocs
    }

    func testBlocGamesMatchEnumeration() throws {
        var random = SplitMix64(state: 1958)
        for round in 0..<600 {
            let n = Int.random(in: 1...9, using: &random)
            var weights = (0..<n).map { _ in Int.random(in: 0...[3, 20, 300].randomElement(using: &random)!, using: &random) }
            if weights.allSatisfy({ $0 == 0 }) { weights[0] = 1 }
            var rule = rules.randomElement(using: &random)!
            if Int.random(in: 0..<4, using: &random) == 0 { rule = .percent(Rational(Int.random(in: 5_001...10_000, using: &random), 100)) }
            let vetoes = Set((0..<n).filter { _ in Int.random(in: 0..<6, using: &random) == 0 })
            let blocs = randomBlocs(n, &random)
            let label = "round \(round): weights \(weights) blocs \(blocs) rule \(rule) vetoes \(vetoes)"

            let indices = try powerIndices(shares: sharesOf(weights), blocs: blocs, majority: rule, vetoIndices: vetoes, cancellation: .never)
            let (bySize, least) = bruteForce(weights: weights, blocs: blocs, rule: rule, vetoes: vetoes)
            let swings = bySize.map { $0.reduce(BigUInt(), +) }
            let total = swings.reduce(BigUInt(), +)
            XCTAssertEqual(indices.swings, swings, label)
            XCTAssertEqual(indices.method, .exact, label)
            XCTAssertEqual(indices.dummy, swings.map(\.isZero), label)
            if !total.isZero {
                assertClose(indices.banzhaf, swings.map { Rational(negative: false, numerator: $0, denominator: total) }, label)
                assertClose(indices.shapleyShubik, shapleyShubik(fromSwingsBySize: bySize), label)
            }
            if let least {
                XCTAssertEqual(indices.quota, Rational(least, weights.reduce(0, +)), label)
            }
            for (bloc, members) in blocs.enumerated() {
                let othersWin = partiesWin(Set(0..<n).subtracting(members), weights: weights, rule: rule, vetoes: vetoes)
                XCTAssertEqual(indices.veto[bloc], least != nil && !othersWin, "veto of bloc \(bloc), " + label)
            }
        }
    }

    /// Without proxies, the bloc game is §6's game.
    func testSingletonBlocsAreTheConventionGame() throws {
        let shares = sharesOf([4, 4, 4, 2, 2, 1])
        let plain = powerIndices(shares: shares, majority: .percent(Rational(70)), vetoIndices: [])
        let blocs = try powerIndices(shares: shares, blocs: (0..<6).map { [$0] }, majority: .percent(Rational(70)), vetoIndices: [], cancellation: .never)
        XCTAssertEqual(plain.swings, blocs.swings)
        XCTAssertEqual(plain.quota, blocs.quota)
        XCTAssertEqual(plain.dummy, [false, false, false, false, false, true], "Luxembourg is a dummy in the EEC Council of 1958")
    }

    /// A double majority over more blocs than the enumeration counts is refused, not approximated silently.
    func testTooManyBlocsForADoubleMajority() {
        let weights = [Int](repeating: 1, count: maxEnumeratedBlocs + 2)
        let blocs = [[0, 1]] + (2..<weights.count).map { [$0] }
        XCTAssertThrowsError(try powerIndices(shares: sharesOf(weights), blocs: blocs, majority: .doubleMajority, vetoIndices: [], cancellation: .never)) { error in
            XCTAssertEqual((error as? TooManyBlocs)?.count, maxEnumeratedBlocs + 1)
        }
    }
}
