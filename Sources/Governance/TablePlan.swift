/// How a size-weight table (or, for Banzhaf alone, a weight table) is counted
/// within the memory budget: in the widest word whose table fits, with one
/// pass per modulus the counts need (a count over f free parties is below
/// 2^(f + 1)).
///
/// A table of 100 parties whose counts need 101 bits takes, in 64-bit words,
/// two passes of half the memory one pass of 128-bit counters would.
struct TablePlan: Sendable {
    /// The word of one table cell.
    enum Word: Int, Sendable, CaseIterable {
        case bits64 = 64, bits32 = 32, bits16 = 16
    }

    let word: Word
    let freeCount: Int
    let width: Int
    /// Whether the table has a row per coalition size (`SizeWeightTable`) or one row (`WeightTable`).
    let sizes: Bool

    /// The widest word whose table of `freeCount` parties below weight `width`
    /// fits `budgetBytes`; `nil` when not even the narrowest does.
    init?(freeCount: Int, width: Int, sizes: Bool = true, budgetBytes: Double) {
        let cells = Double(sizes ? freeCount + 1 : 1) * Double(width + 1)
        guard let word = Word.allCases.first(where: { cells * Double($0.rawValue / 8) <= budgetBytes }) else { return nil }
        self.init(word: word, freeCount: freeCount, width: width, sizes: sizes)
    }

    init(word: Word, freeCount: Int, width: Int, sizes: Bool = true) {
        self.word = word
        self.freeCount = freeCount
        self.width = width
        self.sizes = sizes
    }

    /// The bytes of one pass's table.
    var bytes: Double { Double(sizes ? freeCount + 1 : 1) * Double(width + 1) * Double(word.rawValue / 8) }

    /// The number of tables built, one per modulus.
    var passes: Int {
        switch word {
        case .bits64: Residues<UInt64>.moduli(telling: freeCount + 1).count
        case .bits32: Residues<UInt32>.moduli(telling: freeCount + 1).count
        case .bits16: Residues<UInt16>.moduli(telling: freeCount + 1).count
        }
    }

    /// Swing bounds by |T| for each distinct free weight, and for the veto
    /// parties (empty when there are none), as exact numbers.
    func count(freeWeights: [Int], vetoWeight: Int, vetoCount: Int, thresholds: WinThresholds,
               cancellation: Cancellation) throws(ComputationCancelled)
        -> (byWeight: [Int: SwingBounds<BigUInt>], veto: SwingBounds<BigUInt>) {
        switch word {
        case .bits64: try count(UInt64.self, freeWeights, vetoWeight, vetoCount, thresholds, cancellation)
        case .bits32: try count(UInt32.self, freeWeights, vetoWeight, vetoCount, thresholds, cancellation)
        case .bits16: try count(UInt16.self, freeWeights, vetoWeight, vetoCount, thresholds, cancellation)
        }
    }

    private func count<Cell: FixedWidthInteger & UnsignedInteger & Sendable>(_: Cell.Type, _ freeWeights: [Int], _ vetoWeight: Int, _ vetoCount: Int,
                             _ thresholds: WinThresholds, _ cancellation: Cancellation) throws(ComputationCancelled)
        -> (byWeight: [Int: SwingBounds<BigUInt>], veto: SwingBounds<BigUInt>) {
        precondition(freeWeights.count == freeCount && sizes)
        let weights = Set(freeWeights).sorted()
        // Per pass, one flat list of residues: each weight's lower then upper
        // counts (f each), then the veto parties' (f + 1 each).
        let vetoCounts = vetoCount > 0 ? freeCount + 1 : 0
        var reconstruction = ResidueReconstruction(count: 2 * (weights.count * freeCount + vetoCounts))
        for residues in Residues<Cell>.moduli(telling: freeCount + 1) {
            let table = try SizeWeightTable<Cell>(freeWeights: freeWeights, vetoWeight: vetoWeight, vetoCount: vetoCount,
                                                  thresholds: thresholds, residues: residues, cancellation: cancellation)
            var flat: [UInt64] = []
            flat.reserveCapacity(reconstruction.values.count)
            func append(_ bounds: SwingBounds<Cell>) {
                flat += bounds.lower.map { UInt64($0) }
                flat += bounds.upper.map { UInt64($0) }
            }
            for weight in weights {
                try cancellation.check()
                append(table.swingsOfFreeParty(weight: weight))
            }
            if vetoCount > 0 { append(table.winningCoalitions()) }
            reconstruction.include(flat, modulo: residues.value)
        }
        var values = reconstruction.values[...]
        func take(_ count: Int) -> SwingBounds<BigUInt> {
            let lower = Array(values.prefix(count))
            let upper = Array(values.dropFirst(count).prefix(count))
            values = values.dropFirst(2 * count)
            return SwingBounds(lower: lower, upper: upper)
        }
        var byWeight: [Int: SwingBounds<BigUInt>] = [:]
        for weight in weights { byWeight[weight] = take(freeCount) }
        return (byWeight, take(vetoCounts))
    }
}

extension TablePlan {
    /// Swing totals of each distinct free weight, and of the veto parties
    /// (`nil` without them), as exact numbers, from a `WeightTable`: exact
    /// weights, no parties quota.
    func countTotals(freeWeights: [Int], hasVeto: Bool, cancellation: Cancellation) throws(ComputationCancelled)
        -> (byWeight: [Int: BigUInt], veto: BigUInt?) {
        switch word {
        case .bits64: try countTotals(UInt64.self, freeWeights, hasVeto, cancellation)
        case .bits32: try countTotals(UInt32.self, freeWeights, hasVeto, cancellation)
        case .bits16: try countTotals(UInt16.self, freeWeights, hasVeto, cancellation)
        }
    }

    private func countTotals<Cell: FixedWidthInteger & UnsignedInteger & Sendable>(
        _: Cell.Type, _ freeWeights: [Int], _ hasVeto: Bool, _ cancellation: Cancellation
    ) throws(ComputationCancelled) -> (byWeight: [Int: BigUInt], veto: BigUInt?) {
        precondition(freeWeights.count == freeCount && !sizes)
        let weights = Set(freeWeights).sorted()
        // Per pass: each weight's total, then the veto parties'.
        var reconstruction = ResidueReconstruction(count: weights.count + (hasVeto ? 1 : 0))
        for residues in Residues<Cell>.moduli(telling: freeCount + 1) {
            let table = try WeightTable<Cell>(freeWeights: freeWeights, width: width, residues: residues,
                                              cancellation: cancellation)
            var flat = weights.map { UInt64(table.swingsOfFreeParty(weight: $0)) }
            if hasVeto { flat.append(UInt64(table.winningCoalitions())) }
            reconstruction.include(flat, modulo: residues.value)
        }
        let values = reconstruction.values
        return (Dictionary(uniqueKeysWithValues: zip(weights, values)), hasVeto ? values.last : nil)
    }
}
