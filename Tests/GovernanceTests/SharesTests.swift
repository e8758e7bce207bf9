import XCTest
@testable import Governance

final class SharesTests: XCTestCase {
    private func parties(_ cents: [Int64]) -> [Party] {
        cents.enumerated().map { Party(id: "p\($0.offset)", contributionCents: $0.element) }
    }

    func testEqualAndProportional() throws {
        XCTAssertEqual(try shares(of: parties([5, 0, 9]), under: GovernanceRules(voting: .equal)), Array(repeating: Rational(1, 3), count: 3))
        XCTAssertEqual(try shares(of: parties([100, 300]), under: GovernanceRules(voting: .proportional)), [Rational(1, 4), Rational(3, 4)])
        XCTAssertEqual(try shares(of: [], under: GovernanceRules(voting: .equal)), [])
    }

    func testColleges() throws {
        let colleges = [College(name: "founders", weightPercent: Rational(60), partnerIDs: ["p0", "p1"]),
                        College(name: "public", weightPercent: Rational(40), partnerIDs: ["p2"])]
        XCTAssertEqual(try shares(of: parties([1, 1, 1]), under: GovernanceRules(voting: .colleges(colleges))),
                       [Rational(3, 10), Rational(3, 10), Rational(2, 5)])
    }

    func testCapRedistributesInProportionUntilNoneExceeds() throws {
        let capped = GovernanceRules(voting: .proportional, capPercent: Rational(40))
        XCTAssertEqual(try shares(of: parties([70, 20, 10]), under: capped), [Rational(2, 5), Rational(2, 5), Rational(1, 5)])
        // The first round pushes the second party over the cap too.
        let tighter = GovernanceRules(voting: .proportional, capPercent: Rational(35))
        XCTAssertEqual(try shares(of: parties([60, 30, 5, 5]), under: tighter),
                       [Rational(7, 20), Rational(7, 20), Rational(3, 20), Rational(3, 20)])
    }

    func testFloorTakesFromThoseAboveInProportionToTheirExcess() throws {
        let rules = GovernanceRules(voting: .proportional, floorPercent: Rational(10))
        let result = try shares(of: parties([80, 15, 5]), under: rules)
        XCTAssertEqual(result, [Rational(113, 150), Rational(11, 75), Rational(1, 10)])
        XCTAssertEqual(result.sum(), .one)
    }

    func testCapThenFloorSumExactlyToOne() throws {
        let rules = GovernanceRules(voting: .proportional, capPercent: Rational(30), floorPercent: Rational(decimal: "7.5")!)
        let result = try shares(of: parties([1_234_567, 98_765_432, 5_555, 31_415_926, 27_182_818]), under: rules)
        XCTAssertEqual(result.sum(), .one)
        XCTAssertFalse(result.contains { Rational(3, 10) < $0 || $0 < Rational(3, 40) })
    }

    func testValidationReportsEveryProblem() {
        let colleges = [College(name: "a", weightPercent: Rational(50), partnerIDs: ["p0", "p1", "ghost"]),
                        College(name: "b", weightPercent: Rational(30), partnerIDs: ["p1"])]
        let rules = GovernanceRules(voting: .colleges(colleges), capPercent: Rational(10), floorPercent: Rational(50),
                                    quorumPercent: Rational(120), majority: .percent(Rational(50)), vetoPartnerIDs: ["nobody"])
        let problems = rules.validate(for: parties([1, 1, 1]))
        let settings = Set(problems.map(\.setting))
        XCTAssertEqual(settings, [.capPercent, .floorPercent, .quorumPercent, .majority, .vetoPartnerIDs, .colleges])
        let collegeMessages = problems.filter { $0.setting == .colleges }.map(\.message)
        XCTAssertEqual(collegeMessages.count, 4, "\(collegeMessages)")  // ghost, p1 twice, sum 80, p2 in none
        XCTAssertThrowsError(try shares(of: parties([1, 1, 1]), under: rules)) { error in
            XCTAssertEqual((error as? GovernanceValidationError)?.problems, problems)
        }
    }

    func testProportionalWithoutAnyPledgeIsAnError() {
        let problems = GovernanceRules(voting: .proportional).validate(for: parties([0, 0]))
        XCTAssertEqual(problems.map(\.setting), [.voting])
    }

    func testMajorityNames() {
        for name in ["simple", "absolute", "two_thirds", "three_quarters", "unanimity", "double_majority"] {
            XCTAssertEqual(MajorityRule(name: name)?.name, name)
        }
        XCTAssertNil(MajorityRule(name: "most"))
        XCTAssertNil(MajorityRule.percent(Rational(60)).name)
    }
}
