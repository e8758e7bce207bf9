/// Dynamic programming over coalition weight alone, for Banzhaf when the rule
/// counts no parties: the generating function Π (1 + x^w) of the free
/// parties, truncated below the quota (as in `SizeWeightTable`, but without
/// the size dimension, so f + 1 times smaller).
///
/// A party's own table is the full one divided by (1 + x^w): over prefix
/// sums P, P_i(t) = Σ_j (−1)^j P(t − j·w), t/w + 1 lookups per range end.
///
/// Every count is kept modulo `residues.modulus` only; `TablePlan` runs one
/// table per modulus and rebuilds the counts.
struct WeightTable<Cell: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
    private let residues: Residues<Cell>
    private let freeCount: Int
    /// Free-coalition weights below this are tabulated: T wins from here (quota net of the veto weight).
    private let width: Int
    /// Column t in 0...width: free coalitions weighing less than t.
    private let prefixSums: [Cell]

    init(freeWeights: [Int], width: Int, residues: Residues<Cell>, cancellation: Cancellation = .never) throws(ComputationCancelled) {
        self.residues = residues
        freeCount = freeWeights.count
        self.width = width
        var table = [Cell](repeating: 0, count: width + 1)
        if width > 0 { table[0] = 1 }
        // Lightest first: after some parties, no coalition of them weighs more than their sum.
        var reach = 0
        for weight in freeWeights.filter({ $0 < width }).sorted() {
            try cancellation.check()
            let highest = min(width - 1, reach + weight)
            table.withUnsafeMutableBufferPointer { cells in
                for x in Swift.stride(from: highest, through: weight, by: -1) {
                    cells[x] = residues.sum(cells[x], cells[x - weight])
                }
            }
            reach += weight
        }
        var running: Cell = 0
        for x in 0...width {
            let count = table[x]
            table[x] = running
            running = residues.sum(running, count)
        }
        prefixSums = table
    }

    /// Coalitions of the free parties weighing less than `bound`, without one party of weight `removed`.
    private func coalitions(lighterThan bound: Int, removing removed: Int) -> Cell {
        var sum: Cell = 0, bound = min(bound, width), add = true
        while bound > 0 {
            sum = add ? residues.sum(sum, prefixSums[bound]) : residues.difference(sum, prefixSums[bound])
            add.toggle()
            bound -= removed
        }
        return sum
    }

    /// Swings of a free party i of `weight`: T ⊆ F∖{i} with width − weight ≤ w(T) < width.
    func swingsOfFreeParty(weight: Int) -> Cell {
        guard weight > 0 else { return 0 }
        return residues.difference(coalitions(lighterThan: width, removing: weight),
                                   coalitions(lighterThan: width - weight, removing: weight))
    }

    /// T ⊆ F with w(T) ≥ width: the swings of every veto party.
    func winningCoalitions() -> Cell {
        var all: Cell = 1
        for _ in 0..<freeCount { all = residues.sum(all, all) }
        return residues.difference(all, width > 0 ? prefixSums[width] : 0)
    }
}
