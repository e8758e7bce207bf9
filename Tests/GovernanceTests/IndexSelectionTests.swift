import TestSupport
import XCTest
@testable import Governance

/// One index alone equals that index of the full computation, whatever the
/// engine, and the weight table (Banzhaf without coalition sizes) agrees with
/// the size-weight table and with enumeration.
final class IndexSelectionTests: XCTestCase {
    private let rules: [MajorityRule] = [.simple, .twoThirds, .threeQuarters, .unanimity, .doubleMajority]

    /// Every engine that can count Banzhaf alone for `game`.
    private func banzhafEngines(_ game: WeightedGame) -> [CountingEngine?] {
        let vetoCount = game.isVeto.filter { $0 }.count
        let weightTables: [CountingEngine?] = game.partiesQuota > vetoCount ? [] : [.weightTable(word: nil), .weightTable(word: .bits16)]
        return exactEngines + weightTables
    }

    private func assertSameGame(_ part: PowerIndices, _ full: PowerIndices, _ label: String,
                                file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(part.swings, full.swings, label, file: file, line: line)
        XCTAssertEqual(part.quota, full.quota, label, file: file, line: line)
        XCTAssertEqual(part.method, full.method, label, file: file, line: line)
        XCTAssertEqual(part.veto, full.veto, label, file: file, line: line)
        XCTAssertEqual(part.dummy, full.dummy, label, file: file, line: line)
    }

    func testOneIndexAloneMatchesTheFullComputation() {
        var random = SplitMix64(state: 61)
        for round in 0..<400 {
            let n = Int.random(in: 1...12, using: &random)
            let maxWeight = [3, 20, 300].randomElement(using: &random)!
            var weights = (0..<n).map { _ in Int.random(in: 0...maxWeight, using: &random) }
            if weights.allSatisfy({ $0 == 0 }) { weights[0] = 1 }
            let vetoes = Set((0..<n).filter { _ in Int.random(in: 0..<6, using: &random) == 0 })
            let game = WeightedGame(shares: sharesOf(weights), majority: rules.randomElement(using: &random)!, vetoIndices: vetoes)
            let full = powerIndices(of: game, engine: .coalitionEnumeration)
            for engine in banzhafEngines(game) {
                let label = "round \(round) \(game.weights) q=\(game.quota) m=\(game.partiesQuota) vetoes=\(vetoes) engine \(String(describing: engine))"
                let banzhaf = powerIndices(of: game, engine: engine, indices: .banzhaf)
                assertSameGame(banzhaf, full, label)
                XCTAssertEqual(banzhaf.banzhaf, full.banzhaf, label)
                XCTAssertEqual(banzhaf.shapleyShubik, [], label)
                let none = powerIndices(of: game, engine: engine, indices: [])
                assertSameGame(none, full, label)
                XCTAssertEqual(none.banzhaf, [], label)
                if case .weightTable = engine { continue }
                let shapley = powerIndices(of: game, engine: engine, indices: .shapleyShubik)
                assertSameGame(shapley, full, label)
                XCTAssertEqual(shapley.banzhaf, [], label)
                XCTAssertEqual(shapley.shapleyShubik, full.shapleyShubik, label)
                if (testRun?.failureCount ?? 0) > 0 { return }
            }
        }
    }

    /// Counts past 64 bits (100 and 130 parties), with and without veto
    /// parties: the weight table in every word against the size-weight table.
    func testTheWeightTableMatchesTheSizeWeightTableOnLargeGames() {
        var random = SplitMix64(state: 8)
        let cases: [(parties: Int, maximum: Int, vetoes: Set<Int>)] = [(100, 1_000, []), (130, 8, []), (100, 300, [3, 70])]
        for (parties, maximum, vetoes) in cases {
            let weights = (0..<parties).map { _ in Int.random(in: 1...maximum, using: &random) }
            let game = integerGame(weights, quota: weights.reduce(0, +) / 2 + 1, vetoes: vetoes)
            let full = powerIndices(of: game, engine: .sizeWeightTable(word: nil))
            XCTAssertGreaterThan(full.swings.max()!.bitWidth, 64, "\(parties) parties: counts wider than one word")
            for word in [nil, TablePlan.Word.bits64, .bits32, .bits16] {
                let label = "\(parties) parties up to \(maximum), vetoes \(vetoes), word \(String(describing: word))"
                let banzhaf = powerIndices(of: game, engine: .weightTable(word: word), indices: .banzhaf)
                assertSameGame(banzhaf, full, label)
                XCTAssertEqual(banzhaf.banzhaf, full.banzhaf, label)
            }
        }
    }

    /// Banzhaf alone on games of many distinct weights takes the weight table;
    /// on colleges, the class enumeration's totals agree with its sizes.
    func testBanzhafAloneChoosesTheCheaperEngine() {
        var random = SplitMix64(state: 5)
        let weights = (0..<100).map { _ in Int.random(in: 1...1_000, using: &random) }
        let game = integerGame(weights, quota: weights.reduce(0, +) / 2 + 1)
        let banzhafCounter = GameCounter(game: game, split: VetoConditioning(game), indices: .banzhaf)
        guard case .weightTable = banzhafCounter.cheapestEngine() else {
            return XCTFail("weight table expected, got \(banzhafCounter.cheapestEngine())")
        }
        let colleges = integerGame(Array(repeating: 45, count: 10) + Array(repeating: 3, count: 90) + Array(repeating: 1, count: 300),
                                   quota: 1_000, vetoes: [0])
        let classCounter = GameCounter(game: colleges, split: VetoConditioning(colleges), indices: .banzhaf)
        guard case .classEnumeration = classCounter.cheapestEngine() else {
            return XCTFail("class enumeration expected, got \(classCounter.cheapestEngine())")
        }
        let full = powerIndices(of: colleges, engine: .classEnumeration)
        let banzhaf = powerIndices(of: colleges, engine: nil, indices: .banzhaf)
        assertSameGame(banzhaf, full, "colleges")
        XCTAssertEqual(banzhaf.banzhaf, full.banzhaf)
    }

    /// The public entry point, and rounded bounds: one index alone is that of both.
    func testPublicSelectionAndRoundedBounds() {
        var random = SplitMix64(state: 13)
        let weights = (0..<40).map { _ in Int.random(in: 1_000_000...50_000_000, using: &random) }
        let shares = sharesOf(weights)
        let full = powerIndices(shares: shares, majority: .simple, vetoIndices: [])
        XCTAssertEqual(full.method, .approximate)
        let banzhaf = powerIndices(shares: shares, majority: .simple, vetoIndices: [], indices: .banzhaf)
        let shapley = powerIndices(shares: shares, majority: .simple, vetoIndices: [], indices: .shapleyShubik)
        assertSameGame(banzhaf, full, "banzhaf")
        assertSameGame(shapley, full, "shapley")
        XCTAssertEqual(banzhaf.banzhaf, full.banzhaf)
        XCTAssertEqual(shapley.shapleyShubik, full.shapleyShubik)
        XCTAssertEqual(banzhaf.shapleyShubik, [])
        XCTAssertEqual(shapley.banzhaf, [])
        XCTAssertLessThanOrEqual(banzhaf.errorBound!, full.errorBound!)
        XCTAssertLessThanOrEqual(shapley.errorBound!, full.errorBound!)
        XCTAssertEqual(full.errorBound!, max(banzhaf.errorBound!, shapley.errorBound!), accuracy: 1e-15)
    }
}
