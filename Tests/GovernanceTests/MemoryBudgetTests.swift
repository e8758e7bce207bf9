import XCTest
@testable import Governance

/// No game makes the engine allocate past its memory budget: an exact table
/// that would not fit is never built, and the answer is then a proven bound.
final class MemoryBudgetTests: XCTestCase {
    /// 100 parties pledging up to `maximum` cents each: at 50,000 the exact
    /// table would take about 2 GB of 128-bit counters.
    private func heavyGame(maximum: Int) -> WeightedGame {
        var random = SplitMix64(state: 42)
        let weights = (0..<100).map { _ in Int.random(in: 1...maximum, using: &random) }
        return integerGame(weights, quota: weights.reduce(0, +) / 2 + 1)
    }

    func testATableOverTheBudgetIsNotChosen() {
        for maximum in [50_000, 200_000] {
            let game = heavyGame(maximum: maximum)
            let counter = GameCounter(game: game, split: VetoConditioning(game))
            guard case .rounded(let resolution) = counter.cheapestEngine() else {
                return XCTFail("weights up to \(maximum): an exact table of \(game.quota) columns is over the budget")
            }
            let bytes = SizeWeightTable<UInt128>.bytes(freeCount: 100, width: resolution)
            XCTAssertLessThanOrEqual(bytes, GameCounter.memoryBudgetBytes, "the rounded table fits")
        }
    }

    func testTheRoundedAnswerIsProvenAndClose() {
        let game = heavyGame(maximum: 50_000)
        let indices = powerIndices(of: game, engine: nil)
        XCTAssertEqual(indices.method, .approximate)
        let bound = try! XCTUnwrap(indices.errorBound)
        XCTAssertLessThan(bound, 0.01, "a useful bound")
        XCTAssertEqual(indices.banzhaf.reduce(0, +), 1, accuracy: 100 * bound + 1e-9)
    }

    func testGamesThatFitStayExact() {
        // 100 parties with weights up to 1,000: a table of about 8 MB.
        var random = SplitMix64(state: 7)
        let weights = (0..<100).map { _ in Int.random(in: 1...1_000, using: &random) }
        let game = integerGame(weights, quota: weights.reduce(0, +) / 2 + 1)
        guard case .sizeWeightTable = GameCounter(game: game, split: VetoConditioning(game)).cheapestEngine() else {
            return XCTFail("the exact table is chosen when it fits")
        }
        XCTAssertLessThan(SizeWeightTable<UInt128>.bytes(freeCount: 100, width: Int(game.quota.uint64Value!)), GameCounter.memoryBudgetBytes)
    }
}
