// entente-bench: times the power indices on standard games.
//
//   swift run -c release entente-bench [--games games.json] [--only SUBSTRING]
//
// Prints a table (game, n, method, then the best of the runs in ms for
// Banzhaf alone, Shapley–Shubik alone and both in one call) and, with
// --games, writes each game as integer weights and quota for
// docs/bench/powerindex_compare.py. --only keeps the games whose name contains SUBSTRING.
import Governance
import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct BenchGame {
    let name: String
    let parties: [Party]
    let rules: GovernanceRules
}

func standardGames() -> [BenchGame] {
    var random = SplitMix64(state: 20_261_127)
    func labelled(_ cents: [Int64]) -> [Party] {
        cents.enumerated().map { Party(id: "p\($0.offset)", contributionCents: $0.element) }
    }
    // 25 parties pledging 10,000 € to 500,000 € to the cent: weights too wide for tables.
    let cents25 = (0..<25).map { _ in Int64.random(in: 1_000_000...50_000_000, using: &random) }
    // A realistic convention: 50 partners pledging whole thousands of euros, mostly small.
    let pledges50 = (0..<50).map { _ -> Int64 in
        let thousands = [Int64.random(in: 1...20, using: &random), Int64.random(in: 10...100, using: &random),
                         Int64.random(in: 50...400, using: &random)][Int.random(in: 0..<10, using: &random) < 6 ? 0 : Int.random(in: 1...2, using: &random)]
        return thousands * 100_000
    }
    // 100 parties with integer weights up to 1,000.
    let weights100 = (0..<100).map { _ in Int64.random(in: 1...1_000, using: &random) }
    // 1,000 parties in three colleges: 10 founders (50 %), 90 public bodies (30 %), 900 associations (20 %).
    let parties1000 = labelled(Array(repeating: 1, count: 1_000))
    let colleges = [College(name: "founders", weightPercent: Rational(50), partnerIDs: (0..<10).map { "p\($0)" }),
                    College(name: "public", weightPercent: Rational(30), partnerIDs: (10..<100).map { "p\($0)" }),
                    College(name: "associations", weightPercent: Rational(20), partnerIDs: (100..<1_000).map { "p\($0)" })]
    // Past the exactness limits of §6 (over 25 parties, total weight over 10^7): bounded.
    let cents60 = (0..<60).map { _ in Int64.random(in: 1_000_000...50_000_000, using: &random) }
    return [
        BenchGame(name: "25 parties, cents, proportional, simple", parties: labelled(cents25),
                  rules: GovernanceRules(voting: .proportional, majority: .simple)),
        BenchGame(name: "50-party convention, k€ pledges, two_thirds", parties: labelled(pledges50),
                  rules: GovernanceRules(voting: .proportional, majority: .twoThirds)),
        BenchGame(name: "100 parties, weights 1-1000, simple", parties: labelled(weights100),
                  rules: GovernanceRules(voting: .proportional, majority: .simple)),
        BenchGame(name: "1000 parties, 3 colleges, simple", parties: parties1000,
                  rules: GovernanceRules(voting: .colleges(colleges), majority: .simple)),
        BenchGame(name: "60 parties, cents, proportional, simple", parties: labelled(cents60),
                  rules: GovernanceRules(voting: .proportional, majority: .simple)),
    ]
}

/// The integer game behind the shares: weights over the common denominator, reduced, and the quota.
func integerGame(_ shares: [Rational], majority: MajorityRule) -> (weights: [BigUInt], quota: BigUInt) {
    let denominator = shares.reduce(BigUInt(1)) { $0 / BigUInt.gcd($0, $1.denominator) * $1.denominator }
    var weights = shares.map { $0.numerator * (denominator / $0.denominator) }
    let divisor = weights.reduce(BigUInt()) { BigUInt.gcd($0, $1) }
    weights = weights.map { $0 / divisor }
    let total = weights.reduce(BigUInt(), +)
    switch majority {
    case .twoThirds:
        let (quotient, remainder) = (total * BigUInt(2)).quotientAndRemainder(dividingBy: BigUInt(3))
        return (weights, remainder.isZero ? quotient : quotient + BigUInt(1))
    default:
        return (weights, total / BigUInt(2) + BigUInt(1))
    }
}

func milliseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1_000 + Double(attoseconds) / 1e15
}

func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }

func argument(_ flag: String) -> String? {
    guard let index = CommandLine.arguments.firstIndex(of: flag), index + 1 < CommandLine.arguments.count else { return nil }
    return CommandLine.arguments[index + 1]
}
let gamesPath = argument("--games")
let only = argument("--only")

let clock = ContinuousClock()

/// The best time of up to 20 runs (at least 3, at most about 5 s), and the last result.
func timed(_ compute: () -> PowerIndices) -> (ms: Double, runs: Int, result: PowerIndices) {
    var best = Duration.seconds(1_000_000), runs = 0, result: PowerIndices?
    let started = clock.now
    while runs < 20 && (runs < 3 || clock.now - started < .seconds(5)) {
        best = min(best, clock.measure { result = compute() })
        runs += 1
    }
    return (milliseconds(best), runs, result!)
}

func list(_ values: [Double]) -> String { values.map { String($0) }.joined(separator: ",") }

var json: [String] = []
print("| game | n | method | Banzhaf ms | Shapley–Shubik ms | both ms | runs (each) |")
print("| --- | ---: | --- | ---: | ---: | ---: | ---: |")
for game in standardGames() where only.map({ game.name.contains($0) }) ?? true {
    let weights = try shares(of: game.parties, under: game.rules)
    func run(_ selection: IndexSelection) -> (ms: Double, runs: Int, result: PowerIndices) {
        timed { powerIndices(shares: weights, majority: game.rules.majority, vetoIndices: [], indices: selection) }
    }
    let banzhaf = run(.banzhaf), shapley = run(.shapleyShubik), both = run(.both)
    let indices = both.result
    let method = indices.method.rawValue + (indices.errorBound.map { " (±\($0))" } ?? "")
    print("| \(pad(game.name, 44)) | \(game.parties.count) | \(method) | \(banzhaf.ms) | \(shapley.ms) | \(both.ms) | \(both.runs) |")
    let integer = integerGame(weights, majority: game.rules.majority)
    json.append("""
    {"name": "\(game.name)", "quota": \(integer.quota), "weights": [\(integer.weights.map(\.description).joined(separator: ","))], \
    "banzhaf": [\(list(banzhaf.result.banzhaf))], "shapley_shubik": [\(list(shapley.result.shapleyShubik))], \
    "both_banzhaf": [\(list(indices.banzhaf))], "both_shapley_shubik": [\(list(indices.shapleyShubik))], \
    "ms_banzhaf": \(banzhaf.ms), "ms_shapley_shubik": \(shapley.ms), "ms": \(both.ms)}
    """)
}
if let gamesPath {
    let text = "[\n" + json.joined(separator: ",\n") + "\n]\n"
    guard let file = fopen(gamesPath, "w") else { fatalError("cannot write \(gamesPath)") }
    fputs(text, file)
    fclose(file)
}
