import XCTest
@testable import Governance

/// §7: table-driven checks of the outcome order and of every majority rule.
final class TallyTests: XCTestCase {
    /// A (veto) 40 %, B 30 %, C 20 %, D 10 %.
    private let weights: [(String, Rational)] = [("A", Rational(2, 5)), ("B", Rational(3, 10)), ("C", Rational(1, 5)), ("D", Rational(1, 10))]

    private func run(_ votes: String, _ majority: MajorityRule, quorum: Int = 0, quorumMembers: Int = 0) -> Tally {
        // `votes`: one letter per party, y/n/a or "." for no vote.
        let choices: [Character: VoteChoice] = ["y": .yes, "n": .no, "a": .abstain]
        let parties = zip(weights, votes).map { DecisionParty(id: $0.0, weight: $0.1, vote: choices[$1]) }
        return tally(parties: parties, majority: majority, quorumPercent: Rational(quorum),
                     quorumMembersPercent: Rational(quorumMembers), vetoPartyIDs: ["A"])
    }

    func testOutcomes() {
        let cases: [(votes: String, majority: MajorityRule, quorum: Int, members: Int, expected: DecisionOutcome, why: String)] = [
            (".y..", .simple, 50, 0, .noQuorum, "30 % present is below a 50 % quorum"),
            (".yn.", .simple, 50, 0, .adopted, "reaching the weight quorum exactly is enough"),
            (".yn.", .simple, 0, 75, .noQuorum, "2 of 4 parties is below 75 %"),
            (".yny", .simple, 0, 75, .adopted, "3 of 4 parties reaches 75 % exactly"),
            ("n...", .simple, 90, 0, .noQuorum, "no quorum comes before a veto"),
            ("nyyy", .simple, 0, 0, .vetoed, "a veto party's no blocks"),
            ("ayyy", .simple, 0, 0, .adopted, "a veto party's abstention does not block"),
            (".ynn", .simple, 0, 0, .rejected, "a tie is rejected"),
            ("aaaa", .simple, 0, 0, .rejected, "no yes vote is rejected"),
            ("....", .simple, 0, 0, .rejected, "nobody voted: no yes vote"),
            ("ay..", .simple, 50, 0, .adopted, "abstentions count toward the quorum only"),
            ("ay..", .absolute, 50, 0, .rejected, "absolute: 30 % yes is not above half the total"),
            ("y..y", .absolute, 0, 0, .rejected, "absolute: exactly half is not above half"),
            ("y.y.", .absolute, 0, 0, .adopted, "absolute: 60 % of the total"),
            ("y.n.", .twoThirds, 0, 0, .adopted, "two thirds: 40 ≥ 2/3 × 60 exactly"),
            ("yn..", .twoThirds, 0, 0, .rejected, "two thirds: 40 < 2/3 × 70"),
            (".y.n", .threeQuarters, 0, 0, .adopted, "three quarters: 30 ≥ 3/4 × 40 exactly"),
            (".ynn", .threeQuarters, 0, 0, .rejected, "three quarters: tie"),
            (".yn.", .percent(Rational(60)), 0, 0, .adopted, "60: 30 ≥ 0.6 × 50 exactly"),
            (".yn.", .percent(Rational(decimal: "60.01")!), 0, 0, .rejected, "60.01: just short"),
            ("yyyy", .unanimity, 0, 0, .adopted, "unanimity: every party voted yes"),
            ("yyya", .unanimity, 0, 0, .rejected, "unanimity: an abstention is not a yes"),
            ("yyy.", .unanimity, 0, 0, .rejected, "unanimity: a missing vote is not a yes"),
            ("yn.y", .doubleMajority, 0, 0, .adopted, "double majority: 50 > 30 and 2 > 1 parties"),
            ("y.nn", .doubleMajority, 0, 0, .rejected, "double majority: 40 > 30 but 1 < 2 parties"),
            (".yyn", .doubleMajority, 0, 0, .adopted, "double majority: 50 > 10 and 2 > 1"),
        ]
        for test in cases {
            XCTAssertEqual(run(test.votes, test.majority, quorum: test.quorum, quorumMembers: test.members).projectedOutcome,
                           test.expected, "\(test.votes) \(test.majority): \(test.why)")
        }
    }

    func testTallyFields() {
        let result = run("ynya", .simple, quorum: 50, quorumMembers: 100)
        XCTAssertEqual(result, Tally(present: .one, yes: Rational(3, 5), no: Rational(3, 10), abstain: Rational(1, 10),
                                     partiesTotal: 4, partiesPresent: 4, quorumReached: true, projectedOutcome: .adopted))
        let partial = run(".y.a", .simple)
        XCTAssertEqual(partial.present, Rational(2, 5))
        XCTAssertEqual(partial.partiesPresent, 2)
    }
}
