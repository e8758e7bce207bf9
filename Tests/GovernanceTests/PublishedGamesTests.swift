import TestSupport
import XCTest
@testable import Governance

/// Power indices of games whose values are published in the literature.
final class PublishedGamesTests: XCTestCase {
    private func check(_ game: WeightedGame, banzhaf: [Rational], shapleyShubik: [Rational]? = nil,
                       file: StaticString = #filePath, line: UInt = #line) {
        for engine in exactEngines {
            let indices = powerIndices(of: game, engine: engine)
            let label = "engine \(String(describing: engine))"
            XCTAssertEqual(indices.method, .exact, label, file: file, line: line)
            assertClose(indices.banzhaf, banzhaf, label, file: file, line: line)
            if let shapleyShubik { assertClose(indices.shapleyShubik, shapleyShubik, label, file: file, line: line) }
            XCTAssertEqual(indices.dummy, banzhaf.map(\.isZero), label, file: file, line: line)
        }
    }

    func testEECCouncil1958() {
        let game = integerGame([4, 4, 4, 2, 2, 1], quota: 12)
        check(game, banzhaf: [Rational(5, 21), Rational(5, 21), Rational(5, 21), Rational(1, 7), Rational(1, 7), .zero],
              shapleyShubik: [Rational(7, 30), Rational(7, 30), Rational(7, 30), Rational(3, 20), Rational(3, 20), .zero])
        XCTAssertEqual(powerIndices(of: game, engine: nil).swings, [10, 10, 10, 6, 6, 0].map { BigUInt($0) })
    }

    func testNassauCounty1958() {
        let third = Rational(1, 3)
        check(integerGame([9, 9, 7, 3, 1, 1], quota: 16), banzhaf: [third, third, third, .zero, .zero, .zero],
              shapleyShubik: [third, third, third, .zero, .zero, .zero])
    }

    func testNassauCounty1970() {
        check(integerGame([31, 31, 21, 28, 2, 2], quota: 63),
              banzhaf: [Rational(5, 18), Rational(5, 18), Rational(7, 54), Rational(11, 54), Rational(1, 18), Rational(1, 18)],
              shapleyShubik: [Rational(17, 60), Rational(17, 60), Rational(7, 60), Rational(13, 60), Rational(1, 20), Rational(1, 20)])
    }

    func testUNSecurityCouncil() {
        let game = integerGame(Array(repeating: 1, count: 15), quota: 9, vetoes: Set(0..<5))
        check(game,
              banzhaf: Array(repeating: Rational(106, 635), count: 5) + Array(repeating: Rational(21, 1270), count: 10),
              shapleyShubik: Array(repeating: Rational(421, 2145), count: 5) + Array(repeating: Rational(4, 2145), count: 10))
        XCTAssertEqual(powerIndices(of: game, engine: nil).veto, (0..<15).map { $0 < 5 })
    }

    func testHollerIlling() {
        check(integerGame([35, 20, 15, 15, 15], quota: 51),
              banzhaf: [Rational(11, 25), Rational(1, 5), Rational(3, 25), Rational(3, 25), Rational(3, 25)])
    }

    /// §6: "equal weights, majority 60 and five veto parties among fifteen is the UN Security Council".
    func testContractExampleUNSecurityCouncil() throws {
        let parties = (0..<15).map { Party(id: "p\($0)", contributionCents: 100) }
        let rules = GovernanceRules(voting: .equal, majority: .percent(Rational(60)), vetoPartnerIDs: (0..<5).map { "p\($0)" })
        let weights = try shares(of: parties, under: rules)
        let indices = powerIndices(shares: weights, majority: rules.majority, vetoIndices: Set(0..<5))
        assertClose(indices.shapleyShubik, Array(repeating: Rational(421, 2145), count: 5) + Array(repeating: Rational(4, 2145), count: 10))
        assertClose(indices.banzhaf, Array(repeating: Rational(106, 635), count: 5) + Array(repeating: Rational(21, 1270), count: 10))
        XCTAssertEqual(indices.quota, Rational(3, 5))
    }

    /// §6: "proportional weights 4,4,4,2,2,1 with majority 70 is the EEC Council of 1958", quota 12/17.
    func testContractExampleEECCouncil() throws {
        let parties = [4, 4, 4, 2, 2, 1].enumerated().map { Party(id: "m\($0.offset)", contributionCents: Int64($0.element) * 1_000_000) }
        let rules = GovernanceRules(voting: .proportional, majority: .percent(Rational(70)))
        let weights = try shares(of: parties, under: rules)
        XCTAssertEqual(weights.sum(), .one)
        let indices = powerIndices(shares: weights, majority: rules.majority, vetoIndices: [])
        XCTAssertEqual(indices.quota, Rational(12, 17))
        XCTAssertEqual(indices.method, .exact)
        assertClose(indices.banzhaf, [Rational(5, 21), Rational(5, 21), Rational(5, 21), Rational(1, 7), Rational(1, 7), .zero])
        assertClose(indices.shapleyShubik, [Rational(7, 30), Rational(7, 30), Rational(7, 30), Rational(3, 20), Rational(3, 20), .zero])
        XCTAssertEqual(indices.dummy, [false, false, false, false, false, true])
        XCTAssertEqual(indices.veto, Array(repeating: false, count: 6))
    }

    func testUnanimityGivesEveryPartyAnEqualShareAndAVeto() {
        let indices = powerIndices(shares: [Rational(1, 2), Rational(1, 2), .zero], majority: .unanimity, vetoIndices: [])
        assertClose(indices.banzhaf, Array(repeating: Rational(1, 3), count: 3))
        assertClose(indices.shapleyShubik, Array(repeating: Rational(1, 3), count: 3))
        XCTAssertEqual(indices.veto, [true, true, true])
        XCTAssertEqual(indices.quota, .one)
    }

    /// A party with no weight still counts as a head in a double majority.
    func testZeroWeightPartyMattersInDoubleMajority() {
        // [weight > 1/2, more than half the heads]: {A, C} has all the weight but only 2 of 4 heads.
        let indices = powerIndices(shares: [Rational(1, 2), Rational(1, 2), .zero, .zero], majority: .doubleMajority, vetoIndices: [])
        XCTAssertFalse(indices.dummy[2])
        XCTAssertEqual(indices.veto, [true, true, false, false])
    }

    func testLargeCountsDoNotOverflow() {
        // 200 equal parties: C(199, 99) and 200! are far beyond 128 bits.
        let indices = powerIndices(shares: Array(repeating: Rational(1, 200), count: 200), majority: .simple, vetoIndices: [])
        XCTAssertEqual(indices.method, .exact)
        XCTAssertEqual(indices.swings[0], binomialRow(199)[100])
        for value in indices.shapleyShubik + indices.banzhaf { XCTAssertEqual(value, 1.0 / 200, accuracy: 1e-15) }
    }

    func testDegenerateGames() {
        let empty = powerIndices(shares: [], majority: .simple, vetoIndices: [])
        XCTAssertEqual(empty.banzhaf, [])
        XCTAssertEqual(empty.quota, .zero)
        let dictator = powerIndices(shares: [.one, .zero], majority: .twoThirds, vetoIndices: [])
        XCTAssertEqual(dictator.banzhaf, [1, 0])
        XCTAssertEqual(dictator.shapleyShubik, [1, 0])
        XCTAssertEqual(dictator.veto, [true, false])
        XCTAssertEqual(dictator.dummy, [false, true])
    }

    /// Beyond the exactness limits of §6 the indices come with a proven bound.
    func testLargeGamesAreApproximatedWithABound() {
        var random = SplitMix64(state: 5)
        let cents = (0..<40).map { _ in Int.random(in: 1_000_000...50_000_000, using: &random) }
        let indices = powerIndices(shares: sharesOf(cents), majority: .simple, vetoIndices: [])
        XCTAssertEqual(indices.method, .approximate)
        let bound = indices.errorBound!
        XCTAssertLessThan(bound, 0.01)
        XCTAssertEqual(indices.banzhaf.reduce(0, +), 1, accuracy: 40 * bound)
        XCTAssertEqual(indices.shapleyShubik.reduce(0, +), 1, accuracy: 40 * bound)
    }
}
