/// The weights from which a coalition of a given size wins, over exact
/// integer weights or over weights rounded down to a coarser grid.
///
/// With rounded weights a coalition S of s parties whose rounded weights sum
/// to x has a true (rescaled) weight in [x, x + s): it surely meets the weight
/// condition from `definite` on, and possibly from `possibleBase − s` on.
struct WinThresholds: Sendable {
    let definite: Int
    /// `nil` for exact weights.
    let possibleBase: Int?
    let partiesQuota: Int

    /// Least weight of a winning coalition of `size` parties (surely, or possibly); `nil` when too few parties.
    func minimumWeight(size: Int, possibly: Bool) -> Int? {
        guard size >= partiesQuota else { return nil }
        if possibly, let base = possibleBase, size > 0 { return min(definite, base - size) }
        return definite
    }
}

/// Swing counts by coalition size, as a lower and an upper bound (equal when exact).
struct SwingBounds<Count: Sendable>: Sendable {
    let lower: [Count]
    let upper: [Count]
}

/// Dynamic programming over (coalition size, coalition weight) for games with
/// many distinct weights and a moderate total: the generating function
/// Π (1 + y·x^w) of the free parties, truncated below the quota since only
/// losing coalitions need counting (winning ones are the binomial rest).
///
/// A party's own table is the full one divided by (1 + y·x^w), that is
/// N_i[k][x] = Σ_j (−1)^j N[k−j][x − j·w]. Only sums of N_i over weight
/// ranges are needed, so the full table is kept as prefix sums along x and
/// each range sum costs O(k) lookups: O(f²) per distinct weight instead of
/// rebuilding (or even deconvolving) a table of f · quota cells.
///
/// Every count is kept modulo `residues.modulus` only; `TablePlan` runs one
/// table per modulus and rebuilds the counts.
struct SizeWeightTable<Cell: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
    private let residues: Residues<Cell>
    private let freeCount: Int
    private let vetoWeight: Int
    private let vetoCount: Int
    private let thresholds: WinThresholds
    /// Free-coalition weights below this are tabulated: T wins surely from here.
    private let width: Int
    /// Row k (coalition size), column t in 0...width: free coalitions of k parties weighing less than t.
    private let prefixSums: [Cell]
    private let binomialsOfAll: [Cell]
    private let binomialsOfOthers: [Cell]

    /// The bytes the table takes for `freeCount` parties below weight `width`.
    static func bytes(freeCount: Int, width: Int) -> Double {
        Double(freeCount + 1) * Double(width + 1) * Double(MemoryLayout<Cell>.stride)
    }

    init(freeWeights: [Int], vetoWeight: Int, vetoCount: Int, thresholds: WinThresholds, residues: Residues<Cell>,
         cancellation: Cancellation = .never) throws(ComputationCancelled) {
        self.residues = residues
        freeCount = freeWeights.count
        self.vetoWeight = vetoWeight
        self.vetoCount = vetoCount
        self.thresholds = thresholds
        let width = max(0, thresholds.definite - vetoWeight)
        self.width = width
        // One array of (f + 1) rows of width + 1 cells: first the counts by
        // exact weight, then, in place, their prefix sums (half the memory of
        // keeping both).
        let stride = width + 1
        var table = [Cell](repeating: 0, count: (freeWeights.count + 1) * stride)
        if width > 0 { table[0] = 1 }
        // Heaviest first: after m parties, a coalition of k of them weighs
        // between the sum of the k last taken (the lightest) and of the k
        // first, so each row is updated only over the weights it can hold.
        let tabulated = freeWeights.filter { $0 < width }.sorted(by: >)
        var heaviestSums = [0]
        heaviestSums.reserveCapacity(tabulated.count + 1)
        var cancelled = false
        table.withUnsafeMutableBufferPointer { cells in
            let base = cells.baseAddress!
            for (processed, weight) in tabulated.enumerated() {
                if (try? cancellation.check()) == nil {
                    cancelled = true
                    return
                }
                for size in Swift.stride(from: processed + 1, through: 1, by: -1) {
                    let lightest = weight + heaviestSums[processed] - heaviestSums[processed - size + 1]
                    guard lightest < width else { continue }
                    let heaviest = min(width - 1, weight + heaviestSums[size - 1])
                    residues.addShifted(from: base + (size - 1) * stride + lightest - weight,
                                        to: base + size * stride + lightest, count: heaviest - lightest + 1)
                }
                heaviestSums.append(heaviestSums[processed] + weight)
            }
            // Row k, column t: coalitions of k parties weighing less than t.
            for size in 0...freeWeights.count {
                var running: Cell = 0
                for x in 0...width {
                    let count = cells[size * stride + x]
                    cells[size * stride + x] = running
                    running = residues.sum(running, count)
                }
            }
        }
        if cancelled { throw ComputationCancelled() }
        prefixSums = table
        let pascal = Self.pascalRows(upTo: freeWeights.count, residues: residues)
        binomialsOfAll = pascal.last!
        binomialsOfOthers = pascal.count > 1 ? pascal[pascal.count - 2] : []
    }

    private static func pascalRows(upTo n: Int, residues: Residues<Cell>) -> [[Cell]] {
        var rows: [[Cell]] = [[1]]
        for m in stride(from: 1, through: n, by: 1) {
            let previous = rows[m - 1]
            rows.append((0...m).map { k in
                k == 0 || k == m ? 1 : residues.sum(previous[k - 1], previous[k])
            })
        }
        return Array(rows.suffix(2))
    }

    /// Free coalitions of `size` parties weighing less than `bound`, among those
    /// without one party of weight `removed` (`nil`: among all free parties).
    private func coalitions(size: Int, lighterThan bound: Int, removing removed: Int?) -> Cell {
        var bound = min(bound, width)
        guard let removed else { return bound > 0 ? prefixSums[size * (width + 1) + bound] : 0 }
        var sum: Cell = 0
        for j in 0...size {
            guard bound > 0 else { break }
            let term = prefixSums[(size - j) * (width + 1) + bound]
            sum = j % 2 == 0 ? residues.sum(sum, term) : residues.difference(sum, term)
            bound -= removed
        }
        return sum
    }

    /// Free coalitions of `size` parties weighing in [lo, hi) (hi `nil`: unbounded).
    private func coalitions(size: Int, from lo: Int, to hi: Int?, removing removed: Int?) -> Cell {
        let below = coalitions(size: size, lighterThan: lo, removing: removed)
        guard let hi else {
            let all = removed == nil ? binomialsOfAll[size] : binomialsOfOthers[size]
            return residues.difference(all, below)
        }
        guard hi > lo else { return 0 }
        return residues.difference(coalitions(size: size, lighterThan: hi, removing: removed), below)
    }

    /// Counts by |T| of T ⊆ F∖{i} for a free party i of `weight`: V ∪ T loses, V ∪ T ∪ {i} wins.
    func swingsOfFreeParty(weight: Int) -> SwingBounds<Cell> {
        let exact = thresholds.possibleBase == nil
        var lower = [Cell](repeating: 0, count: freeCount)
        var upper = lower
        for size in 0..<freeCount {
            let coalitionSize = vetoCount + size
            func window(possiblyWinsWith: Bool, possiblyWinsWithout: Bool) -> Cell {
                guard let withParty = thresholds.minimumWeight(size: coalitionSize + 1, possibly: possiblyWinsWith)
                else { return 0 }
                let without = thresholds.minimumWeight(size: coalitionSize, possibly: possiblyWinsWithout)
                return coalitions(size: size, from: withParty - vetoWeight - weight,
                                  to: without.map { $0 - vetoWeight }, removing: weight)
            }
            lower[size] = window(possiblyWinsWith: false, possiblyWinsWithout: true)
            upper[size] = exact ? lower[size] : window(possiblyWinsWith: true, possiblyWinsWithout: false)
        }
        return SwingBounds(lower: lower, upper: upper)
    }

    /// Counts by |T| of T ⊆ F such that V ∪ T wins: the swings of every veto party.
    func winningCoalitions() -> SwingBounds<Cell> {
        var lower = [Cell](repeating: 0, count: freeCount + 1)
        var upper = lower
        for size in 0...freeCount {
            for possibly in [false, true] {
                guard let least = thresholds.minimumWeight(size: vetoCount + size, possibly: possibly) else { continue }
                let count = coalitions(size: size, from: least - vetoWeight, to: nil, removing: nil)
                if possibly { upper[size] = count } else { lower[size] = count }
            }
        }
        return SwingBounds(lower: lower, upper: upper)
    }
}

/// The least weight of a winning T ⊆ F (veto weight deducted from `quota`,
/// veto parties from `partiesQuota`). A lightest winning T weighs less than
/// quota + the largest weight, unless the size condition forces the
/// `partiesQuota` lightest parties, so a reachability table of that width,
/// keeping the largest size per weight, decides it; without a size
/// condition, a bit per weight (64 weights a word) does.
func leastWinningWeight(freeWeights: [Int], quota: Int, partiesQuota: Int) -> Int {
    let partiesQuota = max(partiesQuota, 0)
    let lightest = freeWeights.sorted().prefix(partiesQuota).reduce(0, +)
    guard quota > lightest else { return lightest }
    let width = quota + (freeWeights.max() ?? 0)
    if partiesQuota == 0 { return leastReachableWeight(freeWeights: freeWeights, from: quota, below: width) }
    var largestSize = [Int](repeating: -1, count: width)
    largestSize[0] = 0
    for weight in freeWeights {
        for x in stride(from: width - 1, through: weight, by: -1) where largestSize[x - weight] >= 0 {
            largestSize[x] = max(largestSize[x], largestSize[x - weight] + 1)
        }
    }
    return (quota..<width).first { largestSize[$0] >= partiesQuota }!
}

/// The least weight in lowest..<width of a subset of `freeWeights`, one that exists.
private func leastReachableWeight(freeWeights: [Int], from lowest: Int, below width: Int) -> Int {
    var reachable = [UInt64](repeating: 0, count: (width + 63) / 64)
    reachable[0] = 1
    for weight in freeWeights where weight > 0 && weight < width {
        let words = weight / 64, bits = weight % 64
        for index in stride(from: reachable.count - 1, through: words, by: -1) {
            var shifted = reachable[index - words] << bits
            if bits > 0 && index > words { shifted |= reachable[index - words - 1] >> (64 - bits) }
            reachable[index] |= shifted
        }
    }
    return (lowest..<width).first { reachable[$0 / 64] >> ($0 % 64) & 1 == 1 }!
}
