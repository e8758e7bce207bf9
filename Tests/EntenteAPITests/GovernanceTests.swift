import Foundation
import XCTest
import JSON
import SQLite

/// Shared decision rights, decisions and votes, defaulting (API.md §6, §7).
/// (Named GovernanceAPITests: a GovernanceTests module exists already.)
final class GovernanceAPITests: XCTestCase {
    private let accuracy = 1e-9

    // MARK: - Simulation: the textbook games

    func testSimulateEEC1958() throws {
        let live = try LiveServer()
        let api = live.client()
        let labels = ["FR", "DE", "IT", "BE", "NL", "LU"]
        let weights: [Int64] = [4, 4, 4, 2, 2, 1]
        let response = try simulate(api, governance: ["voting": "proportional", "majority": 70], parties: Array(zip(labels, weights)))
        XCTAssertEqual(response.status, 200, response.text)
        let result = try XCTUnwrap(response.json)
        XCTAssertEqual(result["method"], "exact")
        XCTAssertEqual(result["voting"], "proportional")
        XCTAssertEqual(result["majority"], 70)
        XCTAssertNil(result["convention_id"], "a simulation has no convention")
        XCTAssertNil(result["revision"], "a simulation has no revision")
        XCTAssertEqual(try XCTUnwrap(result["quota"]?.doubleValue), 12.0 / 17.0, accuracy: accuracy)

        let banzhaf: [Double] = [5.0 / 21, 5.0 / 21, 5.0 / 21, 1.0 / 7, 1.0 / 7, 0]
        let shapley: [Double] = [7.0 / 30, 7.0 / 30, 7.0 / 30, 3.0 / 20, 3.0 / 20, 0]
        let swings: [JSON] = [10, 10, 10, 6, 6, 0]
        let partners = try XCTUnwrap(result["partners"]?.arrayValue)
        XCTAssertEqual(partners.compactMap { $0["partner_id"]?.stringValue }, labels)
        for (index, entry) in partners.enumerated() {
            let label = labels[index]
            XCTAssertEqual(try XCTUnwrap(entry["weight"]?.doubleValue), Double(weights[index]) / 17, accuracy: accuracy, label)
            XCTAssertEqual(try XCTUnwrap(entry["banzhaf"]?.doubleValue), banzhaf[index], accuracy: accuracy, label)
            XCTAssertEqual(try XCTUnwrap(entry["shapley_shubik"]?.doubleValue), shapley[index], accuracy: accuracy, label)
            XCTAssertEqual(entry["swings"], swings[index], label)
            XCTAssertEqual(entry["dummy"], .bool(label == "LU"), label)
            XCTAssertEqual(entry["veto"], false, label)
            XCTAssertEqual(entry["defaulting"], false, label)
            XCTAssertEqual(entry["contribution_cents"], .int(weights[index]), label)
        }
        assertSumsToOne(partners)
    }

    func testSimulateUNSecurityCouncil() throws {
        let live = try LiveServer()
        let api = live.client()
        let labels = (1...15).map { "M\($0)" }
        let vetoes = Array(labels.prefix(5))
        let response = try simulate(api, governance: ["voting": "equal", "majority": 60, "veto_partner_ids": .array(vetoes.map(JSON.string))],
                                    parties: labels.map { ($0, 100) })
        XCTAssertEqual(response.status, 200, response.text)
        let result = try XCTUnwrap(response.json)
        XCTAssertEqual(result["method"], "exact")
        XCTAssertEqual(try XCTUnwrap(result["quota"]?.doubleValue), 9.0 / 15.0, accuracy: accuracy)
        let partners = try XCTUnwrap(result["partners"]?.arrayValue)
        XCTAssertEqual(partners.count, 15)
        for entry in partners {
            let label = entry["partner_id"]?.stringValue ?? "?"
            let isVeto = vetoes.contains(label)
            XCTAssertEqual(try XCTUnwrap(entry["weight"]?.doubleValue), 1.0 / 15, accuracy: accuracy, label)
            XCTAssertEqual(try XCTUnwrap(entry["shapley_shubik"]?.doubleValue), isVeto ? 421.0 / 2145 : 4.0 / 2145, accuracy: accuracy, label)
            XCTAssertEqual(try XCTUnwrap(entry["banzhaf"]?.doubleValue), isVeto ? 106.0 / 635 : 21.0 / 1270, accuracy: accuracy, label)
            XCTAssertEqual(entry["swings"], isVeto ? 848 : 84, label)
            XCTAssertEqual(entry["veto"], .bool(isVeto), label)
            XCTAssertEqual(entry["dummy"], false, label)
        }
        assertSumsToOne(partners)
    }

    func testSimulateVetoInFactAndNames() throws {
        let live = try LiveServer()
        let api = live.client()
        // Weights 50/30/20, majority two thirds: A is in every winning coalition (a veto in fact).
        let response = try api.post("/v1/governance/simulate", [
            "governance": ["voting": "proportional", "majority": "two_thirds"],
            "parties": [["partner_id": "a", "name": "Opéra", "contribution_cents": 5000],
                        ["partner_id": "b", "name": "Ville", "contribution_cents": 3000],
                        ["partner_id": "c", "contribution_cents": 2000]],
        ])
        XCTAssertEqual(response.status, 200, response.text)
        let partners = try XCTUnwrap(response.json?["partners"]?.arrayValue)
        XCTAssertEqual(partners.map { $0["name"] }, ["Opéra", "Ville", .null])
        XCTAssertEqual(partners.map { $0["veto"] }, [true, false, false])
        // Winning: {A,B} 80%, {A,C} 70%, {A,B,C}; {B,C} 50% loses. Swings: A 3, B 1, C 1.
        XCTAssertEqual(partners.map { $0["swings"] }, [3, 1, 1])
        XCTAssertEqual(try XCTUnwrap(partners[0]["banzhaf"]?.doubleValue), 3.0 / 5, accuracy: accuracy)
        XCTAssertEqual(try XCTUnwrap(partners[0]["shapley_shubik"]?.doubleValue), 2.0 / 3, accuracy: accuracy)
        XCTAssertEqual(try XCTUnwrap(partners[1]["shapley_shubik"]?.doubleValue), 1.0 / 6, accuracy: accuracy)
        XCTAssertEqual(try XCTUnwrap(response.json?["quota"]?.doubleValue), 0.7, accuracy: accuracy)
        assertSumsToOne(partners)
    }

    func testSimulateOtherMajorityGames() throws {
        let live = try LiveServer()
        let api = live.client()
        // Unanimity: everyone is a veto, the indices are equal whatever the weights.
        let unanimity = try simulate(api, governance: ["voting": "proportional", "majority": "unanimity"], parties: [("a", 4), ("b", 3), ("c", 2), ("d", 1)])
        XCTAssertEqual(unanimity.status, 200, unanimity.text)
        XCTAssertEqual(try XCTUnwrap(unanimity.json?["quota"]?.doubleValue), 1, accuracy: accuracy)
        for entry in unanimity.json?["partners"]?.arrayValue ?? [] {
            XCTAssertEqual(entry["veto"], true)
            XCTAssertEqual(entry["dummy"], false)
            XCTAssertEqual(try XCTUnwrap(entry["banzhaf"]?.doubleValue), 0.25, accuracy: accuracy)
            XCTAssertEqual(try XCTUnwrap(entry["shapley_shubik"]?.doubleValue), 0.25, accuracy: accuracy)
        }
        // Double majority, 60/25/15: {A} has the weight but not the heads; winning {A,B}, {A,C}, {A,B,C}.
        let double = try simulate(api, governance: ["voting": "proportional", "majority": "double_majority"], parties: [("a", 6000), ("b", 2500), ("c", 1500)])
        XCTAssertEqual(double.status, 200, double.text)
        XCTAssertEqual(try XCTUnwrap(double.json?["quota"]?.doubleValue), 0.75, accuracy: accuracy)
        let doubleEntries = double.json?["partners"]?.arrayValue ?? []
        XCTAssertEqual(doubleEntries.map { $0["swings"] }, [3, 1, 1])
        XCTAssertEqual(doubleEntries.map { $0["veto"] }, [true, false, false])
        XCTAssertEqual(try XCTUnwrap(doubleEntries.first?["shapley_shubik"]?.doubleValue), 2.0 / 3, accuracy: accuracy)
        // Under simple majority the same weights make A a dictator: B and C are dummies.
        let simple = try simulate(api, governance: ["voting": "proportional", "majority": "simple"], parties: [("a", 6000), ("b", 2500), ("c", 1500)])
        let simpleEntries = simple.json?["partners"]?.arrayValue ?? []
        XCTAssertEqual(simpleEntries.map { $0["dummy"] }, [false, true, true])
        XCTAssertEqual(try XCTUnwrap(simpleEntries.first?["banzhaf"]?.doubleValue), 1, accuracy: accuracy)
        XCTAssertEqual(try XCTUnwrap(simple.json?["quota"]?.doubleValue), 0.6, accuracy: accuracy)
        // Forty equal parties: more than 25, but a tiny integer total, so exact.
        let forty = try simulate(api, governance: ["voting": "equal", "majority": "simple"], parties: (1...40).map { ("p\($0)", 1) })
        XCTAssertEqual(forty.status, 200, forty.text)
        XCTAssertEqual(forty.json?["method"], "exact")
        XCTAssertNil(forty.json?["error_bound"])
        XCTAssertEqual(try XCTUnwrap(forty.json?["quota"]?.doubleValue), 21.0 / 40, accuracy: accuracy)
        for entry in forty.json?["partners"]?.arrayValue ?? [] {
            XCTAssertEqual(try XCTUnwrap(entry["banzhaf"]?.doubleValue), 1.0 / 40, accuracy: accuracy)
            XCTAssertEqual(try XCTUnwrap(entry["shapley_shubik"]?.doubleValue), 1.0 / 40, accuracy: accuracy)
        }
        assertSumsToOne(forty.json?["partners"]?.arrayValue ?? [])
    }

    // MARK: - Simulation: shares

    func testCapAndFloorRedistribution() throws {
        let live = try LiveServer()
        let api = live.client()
        func weights(_ governance: JSON, _ parties: [(String, Int64)], line: UInt = #line) throws -> [Double] {
            let response = try simulate(api, governance: governance, parties: parties)
            XCTAssertEqual(response.status, 200, response.text, line: line)
            return response.json?["partners"]?.arrayValue?.compactMap { $0["weight"]?.doubleValue } ?? []
        }
        func assertWeights(_ actual: [Double], _ expected: [Double], line: UInt = #line) {
            XCTAssertEqual(actual.count, expected.count, "\(actual)", line: line)
            for (a, e) in zip(actual, expected) { XCTAssertEqual(a, e, accuracy: accuracy, "\(actual)", line: line) }
            XCTAssertEqual(actual.reduce(0, +), 1, accuracy: accuracy, line: line)
        }
        // 70/20/10, cap 50: the 20 excess goes 2:1 to the others → 50, 33.33…, 16.66….
        assertWeights(try weights(["voting": "proportional", "cap_percent": 50], [("a", 7000), ("b", 2000), ("c", 1000)]),
                      [0.5, 1.0 / 3, 1.0 / 6])
        // 60/30/5/5, cap 35: 60 → 35, excess 25 to 30/5/5 in proportion → 30 × 65/40 = 48.75 > 35: capped too;
        // the remaining 30 goes to 5/5 → 15, 15.
        assertWeights(try weights(["voting": "proportional", "cap_percent": 35], [("a", 6000), ("b", 3000), ("c", 500), ("d", 500)]),
                      [0.35, 0.35, 0.15, 0.15])
        // 80/15/5, floor 10: 5 → 10, the 5 taken from 80 and 15 in proportion to their excess over 10 (70 and 5).
        assertWeights(try weights(["voting": "proportional", "floor_percent": 10], [("a", 8000), ("b", 1500), ("c", 500)]),
                      [0.80 - 0.05 * 70 / 75, 0.15 - 0.05 * 5 / 75, 0.10])
        // Cap then floor: 90/9/1, cap 60, floor 10 → after the cap 60, 36, 4; after the floor 10 for c, 6 taken 50:26.
        assertWeights(try weights(["voting": "proportional", "cap_percent": 60, "floor_percent": 10], [("a", 9000), ("b", 900), ("c", 100)]),
                      [0.60 - 0.06 * 50 / 76, 0.36 - 0.06 * 26 / 76, 0.10])
        // Colleges: 60 split between two members, 40 to one.
        assertWeights(try weights(["voting": "colleges", "colleges": [
                          ["name": "Fondateurs", "weight_percent": 60, "partner_ids": ["a", "b"]],
                          ["name": "Associés", "weight_percent": 40, "partner_ids": ["c"]]]],
                                  [("a", 1), ("b", 1), ("c", 1)]),
                      [0.3, 0.3, 0.4])
        // Equal weights ignore the pledges.
        assertWeights(try weights(["voting": "equal"], [("a", 9000), ("b", 1), ("c", 0), ("d", 5)]), [0.25, 0.25, 0.25, 0.25])
        // A cap exactly at 100 / parties is possible.
        assertWeights(try weights(["voting": "proportional", "cap_percent": 25], [("a", 7000), ("b", 1000), ("c", 1000), ("d", 1000)]),
                      [0.25, 0.25, 0.25, 0.25])
    }

    func testImpossibleSettings() throws {
        let live = try LiveServer()
        let api = live.client()
        let three: [(String, Int64)] = [("a", 100), ("b", 100), ("c", 100)]
        let cases: [(name: String, governance: JSON, field: String)] = [
            ("cap 20 with 3 parties", ["voting": "equal", "cap_percent": 20], "cap_percent"),
            ("floor 40 with 3 parties", ["voting": "equal", "floor_percent": 40], "floor_percent"),
            ("colleges summing to 90", ["voting": "colleges", "colleges": [
                ["name": "X", "weight_percent": 50, "partner_ids": ["a"]],
                ["name": "Y", "weight_percent": 40, "partner_ids": ["b", "c"]]]], "colleges"),
            ("a party in two colleges", ["voting": "colleges", "colleges": [
                ["name": "X", "weight_percent": 50, "partner_ids": ["a", "b"]],
                ["name": "Y", "weight_percent": 50, "partner_ids": ["b", "c"]]]], "colleges"),
            ("a party in no college", ["voting": "colleges", "colleges": [
                ["name": "X", "weight_percent": 50, "partner_ids": ["a"]],
                ["name": "Y", "weight_percent": 50, "partner_ids": ["b"]]]], "colleges"),
            ("a college member that is not a party", ["voting": "colleges", "colleges": [
                ["name": "X", "weight_percent": 50, "partner_ids": ["a", "z"]],
                ["name": "Y", "weight_percent": 50, "partner_ids": ["b", "c"]]]], "colleges"),
            ("a veto id that is not a party", ["voting": "equal", "veto_partner_ids": ["a", "z"]], "veto_partner_ids"),
            ("majority 50", ["voting": "equal", "majority": 50], "majority"),
            ("majority 100.5", ["voting": "equal", "majority": 100.5], "majority"),
            ("majority sometimes", ["voting": "equal", "majority": "sometimes"], "majority"),
            ("voting by lot", ["voting": "lot"], "voting"),
            ("quorum 120", ["voting": "equal", "quorum_percent": 120], "quorum_percent"),
            ("unknown governance field", ["voting": "equal", "chair": "a"], "chair"),
        ]
        for testCase in cases {
            let response = try simulate(api, governance: testCase.governance, parties: three)
            XCTAssertEqual(response.status, 422, "\(testCase.name): \(response.text)")
            XCTAssertEqual(response.code, "validation_failed", testCase.name)
            XCTAssertTrue(response.errorFields.contains { $0.hasSuffix(testCase.field) }, "\(testCase.name): \(response.errorFields)")
        }
        // Duplicate labels, and no parties.
        let duplicate = try simulate(api, governance: ["voting": "equal"], parties: [("a", 1), ("a", 1)])
        XCTAssertEqual(duplicate.status, 422, duplicate.text)
        let none = try api.post("/v1/governance/simulate", ["governance": ["voting": "equal"], "parties": []])
        XCTAssertEqual(none.status, 422, none.text)
        // The boundaries themselves are possible.
        XCTAssertEqual(try simulate(api, governance: ["voting": "equal", "majority": 100], parties: three).status, 200)
        XCTAssertEqual(try simulate(api, governance: ["voting": "equal", "majority": 50.5], parties: three).status, 200)
        XCTAssertEqual(try simulate(api, governance: ["voting": "equal", "floor_percent": 33], parties: three).status, 200)
        XCTAssertEqual(try simulate(api, governance: ["voting": "equal", "cap_percent": 34], parties: three).status, 200)
        // A simulation stores nothing.
        XCTAssertEqual(try live.count("conventions"), 0)
        XCTAssertEqual(try live.count("partners"), 0)
    }

    func testSimulateIsOpenToReaders() throws {
        let live = try LiveServer()
        let reader = live.client(token: try live.token(role: "reader"))
        let auditBefore = try live.count("audit")
        let response = try simulate(reader, governance: ["voting": "equal"], parties: [("a", 1), ("b", 1)])
        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertEqual(try live.count("audit"), auditBefore, "a simulation is no write")
    }

    // MARK: - Decision rights of a convention

    func testDecisionRightsOfConvention() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("Opéra de Lyon"), b = try fx.partner("Ville de Lyon", kind: "local_authority"), c = try fx.partner("Fondation Z", kind: "foundation")
        let id = try fx.convention(project: try fx.project(), parties: [(a, 500_000), (b, 300_000), (c, 200_000)],
                                   governance: ["voting": "proportional", "majority": "simple"])
        try fx.bringIntoForce(id, parties: [a, b, c])
        let response = try api.get("/v1/conventions/\(id)/decision-rights")
        XCTAssertEqual(response.status, 200, response.text)
        let result = try XCTUnwrap(response.json)
        XCTAssertEqual(result["convention_id"], .string(id))
        XCTAssertEqual(result["revision"], 1)
        XCTAssertEqual(result["voting"], "proportional")
        XCTAssertEqual(result["majority"], "simple")
        XCTAssertEqual(result["method"], "exact")
        XCTAssertEqual(try XCTUnwrap(result["quota"]?.doubleValue), 0.7, accuracy: accuracy, "smallest winning share: 50 + 20")
        let partners = try XCTUnwrap(result["partners"]?.arrayValue)
        XCTAssertEqual(partners.compactMap { $0["partner_id"]?.stringValue }, [a, b, c])
        XCTAssertEqual(partners.map { $0["name"] }, ["Opéra de Lyon", "Ville de Lyon", "Fondation Z"])
        XCTAssertEqual(partners.map { $0["contribution_cents"] }, [500_000, 300_000, 200_000])
        let weights = partners.compactMap { $0["weight"]?.doubleValue }
        XCTAssertEqual(weights.count, 3)
        for (w, e) in zip(weights, [0.5, 0.3, 0.2]) { XCTAssertEqual(w, e, accuracy: accuracy) }
        XCTAssertEqual(weights.reduce(0, +), 1, accuracy: accuracy)
        // Simple majority (> 1/2): A needs B or C; A is a veto in fact; B and C symmetric.
        XCTAssertEqual(partners.map { $0["veto"] }, [true, false, false])
        XCTAssertEqual(partners.map { $0["dummy"] }, [false, false, false])
        XCTAssertEqual(try XCTUnwrap(partners[0]["banzhaf"]?.doubleValue), 3.0 / 5, accuracy: accuracy)
        XCTAssertEqual(try XCTUnwrap(partners[1]["banzhaf"]?.doubleValue), 1.0 / 5, accuracy: accuracy)
        XCTAssertEqual(try XCTUnwrap(partners[0]["shapley_shubik"]?.doubleValue), 2.0 / 3, accuracy: accuracy)
        XCTAssertEqual(try XCTUnwrap(partners[2]["shapley_shubik"]?.doubleValue), 1.0 / 6, accuracy: accuracy)
        assertSumsToOne(partners)

        XCTAssertEqual(try api.get("/v1/conventions/cnv_missing/decision-rights").status, 404)
    }

    // MARK: - Decisions

    func testDecisionLifecycle() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B"), c = try fx.partner("C"), outsider = try fx.partner("D")
        let project = try fx.project()
        let draft = try fx.convention(project: project, parties: [(a, 1), (b, 1), (c, 1)])
        let refused = try api.post("/v1/conventions/\(draft)/decisions", ["title": "Programmation 2027"])
        XCTAssertEqual(refused.status, 409, refused.text)
        XCTAssertEqual(try live.count("decisions"), 0)

        let id = try fx.convention(project: project, parties: [(a, 1), (b, 1), (c, 1)])
        try fx.bringIntoForce(id, parties: [a, b, c])
        let invalid = try api.post("/v1/conventions/\(id)/decisions", ["description": "no title"])
        XCTAssertEqual(invalid.status, 422, invalid.text)
        XCTAssertTrue(invalid.errorFields.contains("title"), "\(invalid.errorFields)")

        let opened = try api.post("/v1/conventions/\(id)/decisions", ["title": "Programmation 2027", "description": "Choix des œuvres"])
        XCTAssertEqual(opened.status, 201, opened.text)
        let decision = try XCTUnwrap(opened.json?["id"]?.stringValue)
        XCTAssertEqual(opened.header("Location"), "/v1/decisions/\(decision)")
        XCTAssertEqual(opened.json?["convention_id"], .string(id))
        XCTAssertEqual(opened.json?["revision"], 1)
        XCTAssertEqual(opened.json?["status"], "open")
        XCTAssertEqual(opened.json?["outcome"], .null)
        XCTAssertEqual(opened.json?["majority"], "simple", "the convention's majority by default")
        XCTAssertEqual(opened.json?["votes"], .array([]))
        XCTAssertEqual(opened.json?["tally"]?["parties_total"], 3)
        XCTAssertEqual(opened.json?["tally"]?["parties_present"], 0)
        XCTAssertEqual(opened.json?["tally"]?["projected_outcome"], "rejected")
        let path = "/v1/decisions/\(decision)"

        // First vote 201, replacement 200.
        let first = try api.post("\(path)/votes", ["partner_id": .string(a), "choice": "yes"])
        XCTAssertEqual(first.status, 201, first.text)
        XCTAssertEqual(first.json?["votes"]?.arrayValue?.count, 1)
        XCTAssertEqual(try XCTUnwrap(first.json?["votes"]?.arrayValue?.first?["weight"]?.doubleValue), 1.0 / 3, accuracy: accuracy)
        XCTAssertNotNil(first.json?["votes"]?.arrayValue?.first?["cast_at"]?.stringValue)
        let replaced = try api.post("\(path)/votes", ["partner_id": .string(a), "choice": "no"])
        XCTAssertEqual(replaced.status, 200, replaced.text)
        XCTAssertEqual(replaced.json?["votes"]?.arrayValue?.count, 1)
        XCTAssertEqual(replaced.json?["votes"]?.arrayValue?.first?["choice"], "no")
        XCTAssertEqual(try XCTUnwrap(replaced.json?["tally"]?["no"]?.doubleValue), 1.0 / 3, accuracy: accuracy)
        XCTAssertEqual(try XCTUnwrap(replaced.json?["tally"]?["yes"]?.doubleValue), 0, accuracy: accuracy)

        // A non-party, a bad choice.
        let stranger = try api.post("\(path)/votes", ["partner_id": .string(outsider), "choice": "yes"])
        XCTAssertEqual(stranger.status, 409, stranger.text)
        let badChoice = try api.post("\(path)/votes", ["partner_id": .string(b), "choice": "maybe"])
        XCTAssertEqual(badChoice.status, 422, badChoice.text)
        XCTAssertTrue(badChoice.errorFields.contains("choice"), "\(badChoice.errorFields)")

        XCTAssertEqual(try api.post("\(path)/votes", ["partner_id": .string(b), "choice": "yes"]).status, 201)
        let third = try api.post("\(path)/votes", ["partner_id": .string(c), "choice": "yes"])
        XCTAssertEqual(third.status, 201)
        let tally = try XCTUnwrap(third.json?["tally"])
        XCTAssertEqual(try XCTUnwrap(tally["yes"]?.doubleValue), 2.0 / 3, accuracy: accuracy)
        XCTAssertEqual(try XCTUnwrap(tally["no"]?.doubleValue), 1.0 / 3, accuracy: accuracy)
        XCTAssertEqual(try XCTUnwrap(tally["abstain"]?.doubleValue), 0, accuracy: accuracy)
        XCTAssertEqual(try XCTUnwrap(tally["present"]?.doubleValue), 1, accuracy: accuracy)
        XCTAssertEqual(tally["parties_present"], 3)
        XCTAssertEqual(tally["quorum_reached"], true)
        XCTAssertEqual(tally["projected_outcome"], "adopted")
        XCTAssertEqual(third.json?["status"], "open")

        // Close.
        let closed = try api.post("\(path)/close")
        XCTAssertEqual(closed.status, 200, closed.text)
        XCTAssertEqual(closed.json?["status"], "closed")
        XCTAssertEqual(closed.json?["outcome"], "adopted")
        XCTAssertNotNil(closed.json?["closed_at"]?.stringValue)
        let late = try api.post("\(path)/votes", ["partner_id": .string(a), "choice": "yes"])
        XCTAssertEqual(late.status, 409, late.text)
        let closeAgain = try api.post("\(path)/close")
        XCTAssertEqual(closeAgain.status, 409, closeAgain.text)
        let read = try api.get(path)
        XCTAssertEqual(read.json?["outcome"], "adopted")
        XCTAssertEqual(read.json?["votes"]?.arrayValue?.first { $0["partner_id"]?.stringValue == a }?["choice"], "no", "a refused vote changes nothing")

        let list = try api.get("/v1/conventions/\(id)/decisions")
        XCTAssertEqual(list.status, 200)
        XCTAssertEqual(list.json?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue }, [decision])
        XCTAssertEqual(try api.get("/v1/decisions/dec_missing").status, 404)
        XCTAssertEqual(try api.post("/v1/decisions/dec_missing/votes", ["partner_id": .string(a), "choice": "yes"]).status, 404)

        // A terminated convention opens no decision.
        XCTAssertEqual(try api.post("/v1/conventions/\(id)/termination", ["reason": "fin", "effective_on": "2026-01-01"]).status, 200)
        XCTAssertEqual(try api.post("/v1/conventions/\(id)/decisions", ["title": "Après la fin"]).status, 409)
    }

    func testOutcomeRules() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let partners = try (0..<4).map { try fx.partner("Partenaire \($0)") }
        let project = try fx.project()

        struct Case {
            let name: String
            var governance: JSON = ["voting": "equal"]
            var pledges: [Int64] = [1, 1, 1]
            var majority: JSON? = nil       // the decision's own majority, if any
            let votes: [String?]            // per party, nil = did not vote
            let expected: String
        }
        let cases: [Case] = [
            Case(name: "no quorum: 1 of 3 with quorum 60", governance: ["voting": "equal", "quorum_percent": 60],
                 votes: ["yes", nil, nil], expected: "no_quorum"),
            Case(name: "abstentions count toward the quorum", governance: ["voting": "equal", "quorum_percent": 60],
                 votes: ["yes", "abstain", nil], expected: "adopted"),
            Case(name: "exact quorum is enough: 2 of 4 with quorum 50", governance: ["voting": "equal", "quorum_percent": 50],
                 pledges: [1, 1, 1, 1], votes: ["yes", "yes", nil, nil], expected: "adopted"),
            Case(name: "members quorum not reached: 2 of 4 with 75", governance: ["voting": "equal", "quorum_members_percent": 75],
                 pledges: [1, 1, 1, 1], votes: ["yes", "yes", nil, nil], expected: "no_quorum"),
            Case(name: "members quorum reached exactly: 3 of 4 with 75", governance: ["voting": "equal", "quorum_members_percent": 75],
                 pledges: [1, 1, 1, 1], votes: ["yes", "yes", "no", nil], expected: "adopted"),
            Case(name: "vetoed: the veto party votes no", governance: ["voting": "equal", "veto_partner_ids": "PARTY2"],
                 votes: ["yes", "yes", "no"], expected: "vetoed"),
            Case(name: "veto party abstaining blocks nothing", governance: ["voting": "equal", "veto_partner_ids": "PARTY2"],
                 votes: ["yes", "yes", "abstain"], expected: "adopted"),
            Case(name: "no quorum comes before the veto", governance: ["voting": "equal", "quorum_percent": 100, "veto_partner_ids": "PARTY2"],
                 votes: ["yes", nil, "no"], expected: "no_quorum"),
            Case(name: "simple majority adopted", votes: ["yes", "yes", "no"], expected: "adopted"),
            Case(name: "simple majority rejected", votes: ["yes", "no", "no"], expected: "rejected"),
            Case(name: "simple: abstentions only count toward the quorum", votes: ["yes", "abstain", "abstain"], expected: "adopted"),
            Case(name: "tie rejected", pledges: [1, 1, 1, 1], votes: ["yes", "yes", "no", "no"], expected: "rejected"),
            Case(name: "only abstentions rejected", votes: ["abstain", "abstain", "abstain"], expected: "rejected"),
            Case(name: "nobody voted: rejected", votes: [nil, nil, nil], expected: "rejected"),
            Case(name: "absolute: half of the total is not enough", governance: ["voting": "equal", "majority": "absolute"],
                 pledges: [1, 1, 1, 1], votes: ["yes", "yes", "no", nil], expected: "rejected"),
            Case(name: "absolute: more than half", governance: ["voting": "equal", "majority": "absolute"],
                 pledges: [1, 1, 1, 1], votes: ["yes", "yes", "yes", "no"], expected: "adopted"),
            Case(name: "two_thirds reached exactly", governance: ["voting": "equal", "majority": "two_thirds"],
                 votes: ["yes", "yes", "no"], expected: "adopted"),
            Case(name: "two_thirds ignores abstentions", governance: ["voting": "equal", "majority": "two_thirds"],
                 pledges: [1, 1, 1, 1], votes: ["yes", "yes", "no", "abstain"], expected: "adopted"),
            Case(name: "two_thirds missed", governance: ["voting": "equal", "majority": "two_thirds"],
                 pledges: [1, 1, 1, 1], votes: ["yes", "yes", "no", "no"], expected: "rejected"),
            Case(name: "three_quarters missed at 2/3", governance: ["voting": "equal", "majority": "three_quarters"],
                 pledges: [1, 1, 1, 1], votes: ["yes", "yes", "no", "abstain"], expected: "rejected"),
            Case(name: "three_quarters reached exactly", governance: ["voting": "equal", "majority": "three_quarters"],
                 pledges: [1, 1, 1, 1], votes: ["yes", "yes", "yes", "no"], expected: "adopted"),
            Case(name: "number 60 reached", governance: ["voting": "equal", "majority": 60],
                 votes: ["yes", "yes", "no"], expected: "adopted"),
            Case(name: "number 70 missed", governance: ["voting": "equal", "majority": 70],
                 votes: ["yes", "yes", "no"], expected: "rejected"),
            Case(name: "unanimity reached", governance: ["voting": "equal", "majority": "unanimity"],
                 votes: ["yes", "yes", "yes"], expected: "adopted"),
            Case(name: "unanimity: an abstention is not a yes", governance: ["voting": "equal", "majority": "unanimity"],
                 votes: ["yes", "yes", "abstain"], expected: "rejected"),
            Case(name: "unanimity: one missing vote", governance: ["voting": "equal", "majority": "unanimity"],
                 votes: ["yes", "yes", nil], expected: "rejected"),
            Case(name: "double_majority reached", governance: ["voting": "equal", "majority": "double_majority"],
                 votes: ["yes", "yes", "no"], expected: "adopted"),
            Case(name: "double_majority: weight without heads", governance: ["voting": "proportional", "majority": "double_majority"],
                 pledges: [6000, 2500, 1500], votes: ["yes", "no", "no"], expected: "rejected"),
            Case(name: "simple: weight without heads is enough", governance: ["voting": "proportional", "majority": "simple"],
                 pledges: [6000, 2500, 1500], votes: ["yes", "no", "no"], expected: "adopted"),
            Case(name: "double_majority: heads without weight", governance: ["voting": "proportional", "majority": "double_majority"],
                 pledges: [6000, 2500, 1500], votes: ["no", "yes", "yes"], expected: "rejected"),
            Case(name: "the decision's own majority overrides the convention's", governance: ["voting": "equal", "majority": "simple"],
                 majority: "unanimity", votes: ["yes", "yes", "no"], expected: "rejected"),
            Case(name: "the decision's own numeric majority", governance: ["voting": "equal", "majority": "unanimity"],
                 majority: 60, votes: ["yes", "yes", "no"], expected: "adopted"),
        ]

        for testCase in cases {
            let parties = Array(partners.prefix(testCase.pledges.count))
            // "PARTY2" in a veto list stands for the third party.
            var governance = testCase.governance.objectValue ?? [:]
            if governance["veto_partner_ids"] == "PARTY2" { governance["veto_partner_ids"] = [.string(parties[2])] }
            let convention = try fx.convention(project: project, parties: Array(zip(parties, testCase.pledges)), governance: .object(governance))
            try fx.bringIntoForce(convention, parties: parties)
            var body: JSONObject = ["title": .string(testCase.name)]
            if let majority = testCase.majority { body["majority"] = majority }
            let opened = try api.post("/v1/conventions/\(convention)/decisions", .object(body))
            XCTAssertEqual(opened.status, 201, "\(testCase.name): \(opened.text)")
            let decision = try XCTUnwrap(opened.json?["id"]?.stringValue, testCase.name)
            if let majority = testCase.majority { XCTAssertEqual(opened.json?["majority"], majority, testCase.name) }
            var last = opened
            for (index, choice) in testCase.votes.enumerated() {
                guard let choice else { continue }
                last = try api.post("/v1/decisions/\(decision)/votes", ["partner_id": .string(parties[index]), "choice": .string(choice)])
                XCTAssertEqual(last.status, 201, "\(testCase.name): \(last.text)")
            }
            XCTAssertEqual(last.json?["tally"]?["projected_outcome"], .string(testCase.expected), "\(testCase.name) (projected)")
            let closed = try api.post("/v1/decisions/\(decision)/close")
            XCTAssertEqual(closed.status, 200, "\(testCase.name): \(closed.text)")
            XCTAssertEqual(closed.json?["outcome"], .string(testCase.expected), testCase.name)
            XCTAssertEqual(closed.json?["tally"]?["quorum_reached"], .bool(testCase.expected != "no_quorum"), testCase.name)
        }
    }

    func testClosesAtPassing() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B"), c = try fx.partner("C")
        let id = try fx.convention(project: try fx.project(), parties: [(a, 1), (b, 1), (c, 1)])
        try fx.bringIntoForce(id, parties: [a, b, c])

        let past = try api.post("/v1/conventions/\(id)/decisions", ["title": "Hier", "closes_at": "2001-01-01T00:00:00Z"])
        XCTAssertEqual(past.status, 422, past.text)
        XCTAssertTrue(past.errorFields.contains("closes_at"), "\(past.errorFields)")

        let closesAt = rfc3339(Date().addingTimeInterval(2))
        let opened = try api.post("/v1/conventions/\(id)/decisions", ["title": "Vote rapide", "closes_at": .string(closesAt)])
        XCTAssertEqual(opened.status, 201, opened.text)
        XCTAssertEqual(opened.json?["closes_at"], .string(closesAt))
        let decision = try XCTUnwrap(opened.json?["id"]?.stringValue)
        XCTAssertEqual(try api.post("/v1/decisions/\(decision)/votes", ["partner_id": .string(a), "choice": "yes"]).status, 201)
        XCTAssertEqual(try api.post("/v1/decisions/\(decision)/votes", ["partner_id": .string(b), "choice": "yes"]).status, 201)
        XCTAssertEqual(try api.get("/v1/decisions/\(decision)").json?["status"], "open")

        Thread.sleep(forTimeInterval: 3.5)
        let read = try api.get("/v1/decisions/\(decision)")
        XCTAssertEqual(read.status, 200, read.text)
        XCTAssertEqual(read.json?["status"], "closed")
        XCTAssertEqual(read.json?["outcome"], "adopted")
        XCTAssertEqual(read.json?["closed_at"], .string(closesAt), "closed as of its closes_at")
        // Persisted: the audit has it, once, and the stored row says closed.
        let audit = try api.get("/v1/audit?entity_id=\(decision)")
        let actions = audit.json?["items"]?.arrayValue?.compactMap { $0["action"]?.stringValue } ?? []
        XCTAssertEqual(actions.filter { $0 == "decision.closed" }.count, 1, "\(actions)")
        let stored = try live.pool.withReader { try $0.queryOne("SELECT status FROM decisions WHERE id = ?", [decision])?.string("status") }
        XCTAssertEqual(stored, "closed")
        // Votes after the deadline are refused.
        let late = try api.post("/v1/decisions/\(decision)/votes", ["partner_id": .string(c), "choice": "no"])
        XCTAssertEqual(late.status, 409, late.text)
        XCTAssertEqual(try api.get("/v1/decisions/\(decision)").json?["outcome"], "adopted")
        XCTAssertEqual(try api.post("/v1/decisions/\(decision)/close").status, 409)
    }

    func testClosesAtPassingSeenInList() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B")
        let id = try fx.convention(project: try fx.project(), parties: [(a, 1), (b, 1)])
        try fx.bringIntoForce(id, parties: [a, b])
        let opened = try api.post("/v1/conventions/\(id)/decisions", ["title": "Vote", "closes_at": .string(rfc3339(Date().addingTimeInterval(2)))])
        XCTAssertEqual(opened.status, 201, opened.text)
        XCTAssertEqual(try api.post("/v1/decisions/\(opened.json?["id"]?.stringValue ?? "")/votes", ["partner_id": .string(a), "choice": "no"]).status, 201)
        Thread.sleep(forTimeInterval: 3.5)
        let list = try api.get("/v1/conventions/\(id)/decisions")
        XCTAssertEqual(list.json?["items"]?.arrayValue?.first?["status"], "closed")
        XCTAssertEqual(list.json?["items"]?.arrayValue?.first?["outcome"], "rejected")
    }

    func testClosesAtPassingSeenInEventFeed() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B")
        let id = try fx.convention(project: try fx.project(), parties: [(a, 1), (b, 1)])
        try fx.bringIntoForce(id, parties: [a, b])
        let opened = try api.post("/v1/conventions/\(id)/decisions", ["title": "Vote", "closes_at": .string(rfc3339(Date().addingTimeInterval(2)))])
        XCTAssertEqual(opened.status, 201, opened.text)
        let decision = try XCTUnwrap(opened.json?["id"]?.stringValue)
        Thread.sleep(forTimeInterval: 3.5)
        // A poller of the event feed (which never reads the decision itself) learns that it closed.
        let events = try api.get("/v1/events?limit=500").json?["items"]?.arrayValue ?? []
        let closedEvents = events.filter { $0["type"] == "decision.closed" && $0["data"]?["entity_id"]?.stringValue == decision }
        XCTAssertEqual(closedEvents.count, 1, "GET /v1/events after closes_at passed: no decision.closed event for \(decision)")
    }

    func testDecisionWeightsStayFixedAcrossAmendments() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B"), c = try fx.partner("C")
        let id = try fx.convention(project: try fx.project(), parties: [(a, 6000), (b, 2500), (c, 1500)], governance: ["voting": "equal"])
        try fx.bringIntoForce(id, parties: [a, b, c])
        let first = try XCTUnwrap(try api.post("/v1/conventions/\(id)/decisions", ["title": "Sous la révision 1"]).json?["id"]?.stringValue)

        XCTAssertEqual(try api.post("/v1/conventions/\(id)/amendments", ["summary": "Vote proportionnel",
                                                                          "changes": ["governance": ["voting": "proportional"]]]).status, 201)
        for party in [a, b, c] {
            XCTAssertEqual(try api.post("/v1/conventions/\(id)/amendments/1/signatures", ["partner_id": .string(party), "signatory": "S"]).status, 201)
        }
        let rights = try api.get("/v1/conventions/\(id)/decision-rights")
        XCTAssertEqual(rights.json?["revision"], 2)
        XCTAssertEqual(rights.json?["voting"], "proportional")
        XCTAssertEqual(try XCTUnwrap(rights.json?["partners"]?.arrayValue?.first?["weight"]?.doubleValue), 0.6, accuracy: accuracy)

        let second = try api.post("/v1/conventions/\(id)/decisions", ["title": "Sous la révision 2"])
        XCTAssertEqual(second.status, 201, second.text)
        XCTAssertEqual(second.json?["revision"], 2)
        let secondID = try XCTUnwrap(second.json?["id"]?.stringValue)

        let voteOld = try api.post("/v1/decisions/\(first)/votes", ["partner_id": .string(a), "choice": "yes"])
        XCTAssertEqual(voteOld.json?["revision"], 1)
        XCTAssertEqual(try XCTUnwrap(voteOld.json?["votes"]?.arrayValue?.first?["weight"]?.doubleValue), 1.0 / 3, accuracy: accuracy,
                       "the weights of the revision in force when the decision opened")
        let voteNew = try api.post("/v1/decisions/\(secondID)/votes", ["partner_id": .string(a), "choice": "yes"])
        XCTAssertEqual(try XCTUnwrap(voteNew.json?["votes"]?.arrayValue?.first?["weight"]?.doubleValue), 0.6, accuracy: accuracy)
        // A alone: 1/3 rejected under the old weights, 0.6 adopted under the new ones (others not voting, no quorum set).
        XCTAssertEqual(try api.post("/v1/decisions/\(first)/votes", ["partner_id": .string(b), "choice": "no"]).json?["tally"]?["projected_outcome"], "rejected")
        XCTAssertEqual(try api.post("/v1/decisions/\(secondID)/votes", ["partner_id": .string(b), "choice": "no"]).json?["tally"]?["projected_outcome"], "adopted")
    }

    func testDecisionMajorityValidationAndIfMatch() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B")
        let id = try fx.convention(project: try fx.project(), parties: [(a, 1), (b, 1)])
        try fx.bringIntoForce(id, parties: [a, b])
        for bad: JSON in [50, "sometimes", 101] {
            let response = try api.post("/v1/conventions/\(id)/decisions", ["title": "x", "majority": bad])
            XCTAssertEqual(response.status, 422, "majority \(bad): \(response.text)")
            XCTAssertTrue(response.errorFields.contains("majority"), "\(response.errorFields)")
        }
        XCTAssertEqual(try live.count("decisions"), 0)

        let opened = try api.post("/v1/conventions/\(id)/decisions", ["title": "x"])
        XCTAssertEqual(opened.header("ETag"), "\"1\"")
        let decision = try XCTUnwrap(opened.json?["id"]?.stringValue)
        let staleClose = try api.post("/v1/decisions/\(decision)/close", headers: [("If-Match", "\"9\"")])
        XCTAssertEqual(staleClose.status, 412, staleClose.text)
        // A vote is a state-changing POST on the decision: a stale If-Match is refused.
        let staleVote = try api.post("/v1/decisions/\(decision)/votes", ["partner_id": .string(a), "choice": "yes"], headers: [("If-Match", "\"9\"")])
        XCTAssertEqual(staleVote.status, 412, "POST /v1/decisions/{id}/votes with a stale If-Match: \(staleVote.text)")
        let current = try XCTUnwrap(try api.get("/v1/decisions/\(decision)").json?["version"]?.intValue)
        let goodVote = try api.post("/v1/decisions/\(decision)/votes", ["partner_id": .string(b), "choice": "yes"], headers: [("If-Match", "\"\(current)\"")])
        XCTAssertEqual(goodVote.status, 201, goodVote.text)
        XCTAssertEqual(goodVote.header("ETag"), "\"\(current + 1)\"")
    }

    /// An explicit `null` is an absent field: the default applies, never a stored null.
    func testExplicitNullsTakeTheDefaults() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B")
        let id = try fx.convention(project: try fx.project(), parties: [(a, 1), (b, 1)], extra: [
            "governance": ["voting": "equal", "majority": "two_thirds", "quorum_percent": nil, "quorum_members_percent": nil],
        ])
        let governance = try api.get("/v1/conventions/\(id)").json?["governance"]
        XCTAssertEqual(governance?["quorum_percent"], 0)
        XCTAssertEqual(governance?["quorum_members_percent"], 0)
        try fx.bringIntoForce(id, parties: [a, b])
        let opened = try api.post("/v1/conventions/\(id)/decisions", ["title": "x", "majority": nil])
        XCTAssertEqual(opened.status, 201, opened.text)
        XCTAssertEqual(opened.json?["majority"], "two_thirds", "the convention's majority")
    }

    // MARK: - Defaulting

    func testDefaultingParty() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B"), c = try fx.partner("C")
        let id = try fx.convention(project: try fx.project(), parties: [(a, 1), (b, 1), (c, 1)])
        try fx.bringIntoForce(id, parties: [a, b, c])
        let before = try api.post("/v1/conventions/\(id)/decisions", ["title": "Ouverte avant"])
        let beforeID = try XCTUnwrap(before.json?["id"]?.stringValue)
        XCTAssertEqual(before.json?["tally"]?["parties_total"], 3)

        // Validation and unknown parties.
        let noReason = try api.post("/v1/conventions/\(id)/parties/\(c)/default", [:])
        XCTAssertEqual(noReason.status, 422, noReason.text)
        XCTAssertTrue(noReason.errorFields.contains("reason"), "\(noReason.errorFields)")
        let outsider = try fx.partner("D")
        XCTAssertEqual(try api.post("/v1/conventions/\(id)/parties/\(outsider)/default", ["reason": "x"]).status, 404)

        // C defaults.
        let defaulted = try api.post("/v1/conventions/\(id)/parties/\(c)/default", ["reason": "Apport non versé"])
        XCTAssertEqual(defaulted.status, 200, defaulted.text)
        XCTAssertEqual(defaulted.json?["id"], .string(id), "answers with the convention")
        XCTAssertEqual(defaulted.json?["status"], "in_force")

        // It cannot vote, even on a decision opened before.
        let vote = try api.post("/v1/decisions/\(beforeID)/votes", ["partner_id": .string(c), "choice": "no"])
        XCTAssertEqual(vote.status, 409, vote.text)

        // A decision opened now leaves it out.
        let during = try api.post("/v1/conventions/\(id)/decisions", ["title": "Ouverte pendant"])
        XCTAssertEqual(during.status, 201, during.text)
        let duringID = try XCTUnwrap(during.json?["id"]?.stringValue)
        XCTAssertEqual(during.json?["tally"]?["parties_total"], 2)
        let voteA = try api.post("/v1/decisions/\(duringID)/votes", ["partner_id": .string(a), "choice": "yes"])
        XCTAssertEqual(voteA.status, 201, voteA.text)
        XCTAssertEqual(try XCTUnwrap(voteA.json?["votes"]?.arrayValue?.first?["weight"]?.doubleValue), 0.5, accuracy: accuracy)
        XCTAssertEqual(try XCTUnwrap(voteA.json?["tally"]?["yes"]?.doubleValue), 0.5, accuracy: accuracy)
        XCTAssertEqual(try XCTUnwrap(voteA.json?["tally"]?["present"]?.doubleValue), 0.5, accuracy: accuracy)
        XCTAssertEqual(voteA.json?["tally"]?["parties_present"], 1)

        // Decision rights: C weighs nothing.
        let rights = try api.get("/v1/conventions/\(id)/decision-rights")
        XCTAssertEqual(rights.status, 200, rights.text)
        let entries = try XCTUnwrap(rights.json?["partners"]?.arrayValue)
        XCTAssertEqual(entries.compactMap { $0["partner_id"]?.stringValue }, [a, b, c], "a defaulting party is still listed")
        let entryC = try XCTUnwrap(entries.first { $0["partner_id"]?.stringValue == c })
        XCTAssertEqual(try XCTUnwrap(entryC["weight"]?.doubleValue), 0, accuracy: accuracy)
        XCTAssertEqual(entryC["defaulting"], true)
        XCTAssertEqual(entryC["veto"], false)
        XCTAssertEqual(try XCTUnwrap(entryC["banzhaf"]?.doubleValue), 0, accuracy: accuracy)
        XCTAssertEqual(try XCTUnwrap(entryC["shapley_shubik"]?.doubleValue), 0, accuracy: accuracy)
        for other in entries where other["partner_id"]?.stringValue != c {
            XCTAssertEqual(try XCTUnwrap(other["weight"]?.doubleValue), 0.5, accuracy: accuracy)
            XCTAssertEqual(other["defaulting"], false)
            XCTAssertEqual(try XCTUnwrap(other["banzhaf"]?.doubleValue), 0.5, accuracy: accuracy)
        }
        XCTAssertEqual(entries.compactMap { $0["weight"]?.doubleValue }.reduce(0, +), 1, accuracy: accuracy)
        assertSumsToOne(entries)

        // Lifting it.
        let lifted = try api.delete("/v1/conventions/\(id)/parties/\(c)/default")
        XCTAssertEqual(lifted.status, 200, lifted.text)
        XCTAssertEqual(lifted.json?["id"], .string(id))
        let liftedRights = try api.get("/v1/conventions/\(id)/decision-rights").json?["partners"]?.arrayValue ?? []
        let liftedC = liftedRights.first { $0["partner_id"]?.stringValue == c }
        XCTAssertEqual(try XCTUnwrap(liftedC?["weight"]?.doubleValue), 1.0 / 3, accuracy: accuracy)
        XCTAssertEqual(try XCTUnwrap(liftedC?["banzhaf"]?.doubleValue), 1.0 / 3, accuracy: accuracy)
        XCTAssertEqual(liftedC?["defaulting"], false)
        // It votes again on the decision opened before; the one opened during its default keeps it out.
        XCTAssertEqual(try api.post("/v1/decisions/\(beforeID)/votes", ["partner_id": .string(c), "choice": "no"]).status, 201)
        XCTAssertEqual(try api.post("/v1/decisions/\(duringID)/votes", ["partner_id": .string(c), "choice": "no"]).status, 409)
        XCTAssertEqual(try api.post("/v1/decisions/\(duringID)/close").json?["outcome"], "adopted")
        XCTAssertEqual(try api.post("/v1/decisions/\(beforeID)/close").json?["outcome"], "rejected")

        // Audited, and raised as events.
        let audit = try api.get("/v1/audit?entity_id=\(id)&limit=500")
        let actions = audit.json?["items"]?.arrayValue?.compactMap { $0["action"]?.stringValue } ?? []
        XCTAssertEqual(actions.filter { $0 == "party.defaulted" }.count, 1, "\(actions)")
        XCTAssertEqual(actions.filter { $0 == "party.default_lifted" }.count, 1, "\(actions)")
        XCTAssertLessThan(actions.firstIndex(of: "party.default_lifted") ?? 99, actions.firstIndex(of: "party.defaulted") ?? -1, "newest first")
        let events = try api.get("/v1/events?limit=500").json?["items"]?.arrayValue?.compactMap { $0["type"]?.stringValue } ?? []
        XCTAssertTrue(events.contains("party.defaulted"))
        XCTAssertTrue(events.contains("party.default_lifted"))

        // Lifting what is not there.
        XCTAssertEqual(try api.delete("/v1/conventions/\(id)/parties/\(c)/default").status, 409)
    }

    /// A defaulting veto party loses its veto: decision rights, and decisions opened meanwhile.
    func testDefaultingVetoParty() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B"), c = try fx.partner("C")
        let id = try fx.convention(project: try fx.project(), parties: [(a, 1), (b, 1), (c, 1)],
                                   governance: ["voting": "equal", "veto_partner_ids": [.string(c)]])
        try fx.bringIntoForce(id, parties: [a, b, c])
        let before = try XCTUnwrap(try api.post("/v1/conventions/\(id)/decisions", ["title": "Avant"]).json?["id"]?.stringValue)
        XCTAssertEqual(try api.post("/v1/conventions/\(id)/parties/\(c)/default", ["reason": "Retard"]).status, 200)

        let rights = try api.get("/v1/conventions/\(id)/decision-rights")
        XCTAssertEqual(rights.status, 200, rights.text)
        let entryC = rights.json?["partners"]?.arrayValue?.first { $0["partner_id"]?.stringValue == c }
        XCTAssertEqual(entryC?["veto"], false, "a defaulting party holds no veto")
        XCTAssertEqual(entryC?["defaulting"], true)
        XCTAssertEqual(try XCTUnwrap(entryC?["weight"]?.doubleValue), 0, accuracy: accuracy)

        // A decision opened while C defaults: C is out of its weights, counts and vetoes.
        let during = try api.post("/v1/conventions/\(id)/decisions", ["title": "Pendant"])
        XCTAssertEqual(during.status, 201, "POST /v1/conventions/{id}/decisions while a veto party defaults: \(during.text)")
        if let duringID = during.json?["id"]?.stringValue {
            XCTAssertEqual(during.json?["tally"]?["parties_total"], 2)
            let voted = try api.post("/v1/decisions/\(duringID)/votes", ["partner_id": .string(a), "choice": "yes"])
            XCTAssertEqual(voted.status, 201, voted.text)
            XCTAssertEqual(try XCTUnwrap(voted.json?["votes"]?.arrayValue?.first?["weight"]?.doubleValue), 0.5, accuracy: accuracy)
            XCTAssertEqual(try api.post("/v1/decisions/\(duringID)/close").json?["outcome"], "adopted")
        }

        // Lifted: the veto is back, and C's no on the decision opened before vetoes it.
        XCTAssertEqual(try api.delete("/v1/conventions/\(id)/parties/\(c)/default").status, 200)
        let liftedC = try api.get("/v1/conventions/\(id)/decision-rights").json?["partners"]?.arrayValue?.first { $0["partner_id"]?.stringValue == c }
        XCTAssertEqual(liftedC?["veto"], true)
        XCTAssertEqual(try api.post("/v1/decisions/\(before)/votes", ["partner_id": .string(a), "choice": "yes"]).status, 201)
        XCTAssertEqual(try api.post("/v1/decisions/\(before)/votes", ["partner_id": .string(c), "choice": "no"]).status, 201)
        XCTAssertEqual(try api.post("/v1/decisions/\(before)/close").json?["outcome"], "vetoed")
    }

    /// Colleges: a defaulting member leaves its college's weight to the other members.
    func testDefaultingCollegeMember() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B"), c = try fx.partner("C")
        let id = try fx.convention(project: try fx.project(), parties: [(a, 1), (b, 1), (c, 1)],
                                   governance: ["voting": "colleges", "colleges": [
                                       ["name": "Fondateurs", "weight_percent": 60, "partner_ids": [.string(a), .string(b)]],
                                       ["name": "Associés", "weight_percent": 40, "partner_ids": [.string(c)]]]])
        try fx.bringIntoForce(id, parties: [a, b, c])
        XCTAssertEqual(try api.post("/v1/conventions/\(id)/parties/\(b)/default", ["reason": "Retard"]).status, 200)
        let rights = try api.get("/v1/conventions/\(id)/decision-rights")
        XCTAssertEqual(rights.status, 200, rights.text)
        let weights = rights.json?["partners"]?.arrayValue?.compactMap { $0["weight"]?.doubleValue } ?? []
        XCTAssertEqual(weights.count, 3)
        for (w, e) in zip(weights, [0.6, 0.0, 0.4]) { XCTAssertEqual(w, e, accuracy: accuracy, "\(weights)") }

        let during = try api.post("/v1/conventions/\(id)/decisions", ["title": "Pendant"])
        XCTAssertEqual(during.status, 201, "POST /v1/conventions/{id}/decisions while a college member defaults: \(during.text)")
        if let duringID = during.json?["id"]?.stringValue {
            XCTAssertEqual(during.json?["tally"]?["parties_total"], 2)
            let voted = try api.post("/v1/decisions/\(duringID)/votes", ["partner_id": .string(a), "choice": "yes"])
            XCTAssertEqual(try XCTUnwrap(voted.json?["votes"]?.arrayValue?.first?["weight"]?.doubleValue), 0.6, accuracy: accuracy)
        }
    }

    func testDefaultOnlyInForce() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B")
        let id = try fx.convention(project: try fx.project(), parties: [(a, 1), (b, 1)])
        let response = try api.post("/v1/conventions/\(id)/parties/\(a)/default", ["reason": "x"])
        XCTAssertEqual(response.status, 409, response.text)
    }

    // MARK: - Partner keys

    func testPartnerKeyVotes() throws {
        let live = try LiveServer()
        let api = live.client()
        let fx = Fixtures(client: api)
        let a = try fx.partner("A"), b = try fx.partner("B"), c = try fx.partner("C")
        let project = try fx.project()
        let id = try fx.convention(project: project, parties: [(a, 1), (b, 1)])
        try fx.bringIntoForce(id, parties: [a, b])
        let other = try fx.convention(project: project, parties: [(b, 1), (c, 1)])
        try fx.bringIntoForce(other, parties: [b, c])
        let decision = try XCTUnwrap(try api.post("/v1/conventions/\(id)/decisions", ["title": "D"]).json?["id"]?.stringValue)
        let hiddenDecision = try XCTUnwrap(try api.post("/v1/conventions/\(other)/decisions", ["title": "H"]).json?["id"]?.stringValue)

        let partnerA = live.client(token: try live.token(role: "partner", partnerID: a))
        let own = try partnerA.post("/v1/decisions/\(decision)/votes", ["partner_id": .string(a), "choice": "yes"])
        XCTAssertEqual(own.status, 201, own.text)
        let forB = try partnerA.post("/v1/decisions/\(decision)/votes", ["partner_id": .string(b), "choice": "no"])
        XCTAssertEqual(forB.status, 403, forB.text)
        XCTAssertEqual(forB.code, "forbidden")
        XCTAssertEqual(try api.get("/v1/decisions/\(decision)").json?["votes"]?.arrayValue?.count, 1)
        // Outside its world: 404.
        XCTAssertEqual(try partnerA.get("/v1/decisions/\(hiddenDecision)").status, 404)
        XCTAssertEqual(try partnerA.post("/v1/decisions/\(hiddenDecision)/votes", ["partner_id": .string(b), "choice": "no"]).status, 404)
        XCTAssertEqual(try partnerA.get("/v1/conventions/\(other)/decision-rights").status, 404)
        XCTAssertEqual(try partnerA.get("/v1/conventions/\(id)/decision-rights").status, 200)
        // Opening and closing are not partner actions.
        XCTAssertEqual(try partnerA.post("/v1/conventions/\(id)/decisions", ["title": "x"]).status, 403)
        XCTAssertEqual(try partnerA.post("/v1/decisions/\(decision)/close").status, 403)
        // A reader cannot vote.
        let reader = live.client(token: try live.token(role: "reader"))
        XCTAssertEqual(try reader.post("/v1/decisions/\(decision)/votes", ["partner_id": .string(b), "choice": "no"]).status, 403)
    }

    // MARK: - Helpers

    private func simulate(_ api: APIClient, governance: JSON, parties: [(String, Int64)]) throws -> APIResponse {
        try api.post("/v1/governance/simulate", [
            "governance": governance,
            "parties": .array(parties.map { ["partner_id": .string($0.0), "contribution_cents": .int($0.1)] }),
        ])
    }

    private func assertSumsToOne(_ partners: [JSON], file: StaticString = #filePath, line: UInt = #line) {
        let banzhaf = partners.compactMap { $0["banzhaf"]?.doubleValue }
        let shapley = partners.compactMap { $0["shapley_shubik"]?.doubleValue }
        XCTAssertEqual(banzhaf.count, partners.count, file: file, line: line)
        XCTAssertEqual(shapley.count, partners.count, file: file, line: line)
        XCTAssertEqual(banzhaf.reduce(0, +), 1, accuracy: accuracy, "banzhaf", file: file, line: line)
        XCTAssertEqual(shapley.reduce(0, +), 1, accuracy: accuracy, "shapley_shubik", file: file, line: line)
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` in UTC.
private func rfc3339(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'"
    return formatter.string(from: date)
}
