import TestSupport
import XCTest
@testable import Governance

/// No game makes the engine allocate past its memory budget: the size-weight
/// table is counted in the widest word that fits, one pass per modulus, and
/// a table that fits in no word is never built (the answer is then a proven bound).
final class MemoryBudgetTests: XCTestCase {
    /// `parties` parties pledging up to `maximum` cents each, simple majority.
    private func heavyGame(parties: Int, maximum: Int) -> WeightedGame {
        var random = SplitMix64(state: 42)
        let weights = (0..<parties).map { _ in Int.random(in: 1...maximum, using: &random) }
        return integerGame(weights, quota: weights.reduce(0, +) / 2 + 1)
    }

    private func engine(_ game: WeightedGame) -> CountingEngine {
        GameCounter(game: game, split: VetoConditioning(game)).cheapestEngine()
    }

    func testGamesThatNeedExactnessGetANarrowerWordNotRounding() {
        // (parties, maximum cents, word): 128-bit counters would take 0.2, 2
        // and 8 GB; about 10^6, 2.5·10^6 and 10^7 cents in all, so §6 requires
        // exact indices.
        let cases: [(Int, Int, TablePlan.Word)] = [(100, 1_000, .bits64), (100, 50_000, .bits64), (100, 200_000, .bits16)]
        for (parties, maximum, word) in cases {
            let game = heavyGame(parties: parties, maximum: maximum)
            XCTAssertLessThanOrEqual(game.totalWeight, BigUInt(10_000_000))
            guard case .sizeWeightTable(let chosen) = engine(game) else {
                XCTFail("\(parties) parties up to \(maximum): exact table expected, got \(engine(game))")
                continue
            }
            XCTAssertEqual(chosen, word, "\(parties) parties up to \(maximum)")
            let plan = TablePlan(word: word, freeCount: parties, width: Int(game.quota.uint64Value!))
            XCTAssertLessThanOrEqual(plan.bytes, GameCounter.memoryBudgetBytes)
        }
    }

    func testATableThatFitsInNoWordIsNotBuilt() {
        // 200 parties, 10^7 cents in all: 2 GB even in 16-bit words.
        let game = heavyGame(parties: 200, maximum: 100_000)
        XCTAssertNil(TablePlan(freeCount: 200, width: Int(game.quota.uint64Value!), budgetBytes: GameCounter.memoryBudgetBytes))
        guard case .rounded(let resolution) = engine(game) else { return XCTFail("rounding expected, got \(engine(game))") }
        let plan = try! XCTUnwrap(TablePlan(freeCount: 200, width: resolution, budgetBytes: GameCounter.memoryBudgetBytes))
        XCTAssertLessThanOrEqual(plan.bytes, GameCounter.memoryBudgetBytes, "the rounded table fits")
    }

    func testTheRoundedAnswerIsProvenAndClose() {
        // 60 parties, about 3·10^7 cents in all: past §6's exact range, and
        // an exact table would take hours.
        let game = heavyGame(parties: 60, maximum: 1_000_000)
        XCTAssertGreaterThan(game.totalWeight, BigUInt(10_000_000))
        let indices = powerIndices(of: game, engine: nil)
        XCTAssertEqual(indices.method, .approximate)
        let bound = try! XCTUnwrap(indices.errorBound)
        XCTAssertLessThan(bound, 0.01, "a useful bound")
        XCTAssertEqual(indices.banzhaf.reduce(0, +), 1, accuracy: 1e-9)
        XCTAssertEqual(indices.shapleyShubik.reduce(0, +), 1, accuracy: 1e-9)
    }

    /// Counts past every word (130 parties: up to 2^130) rebuilt from 3, 5 and
    /// 9 passes with different moduli agree with each other.
    func testEveryWordGivesTheSameExactCounts() {
        let game = heavyGame(parties: 130, maximum: 8)
        let counts = [TablePlan.Word.bits64, .bits32, .bits16].map { word in
            powerIndices(of: game, engine: .sizeWeightTable(word: word)).swings
        }
        XCTAssertGreaterThan(counts[0].max()!.bitWidth, 64, "counts wider than one word")
        XCTAssertEqual(counts[0], counts[1])
        XCTAssertEqual(counts[0], counts[2])
        XCTAssertEqual(TablePlan(word: .bits16, freeCount: 130, width: 10).passes, 9)
    }
}
