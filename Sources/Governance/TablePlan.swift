/// How a size-weight table is counted within the memory budget: in the widest
/// word whose table fits, with one pass per modulus the counts need (a count
/// over f free parties is below 2^(f + 1)).
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

    /// The widest word whose table of `freeCount` parties below weight `width`
    /// fits `budgetBytes`; `nil` when not even the narrowest does.
    init?(freeCount: Int, width: Int, budgetBytes: Double) {
        let cells = Double(freeCount + 1) * Double(width + 1)
        guard let word = Word.allCases.first(where: { cells * Double($0.rawValue / 8) <= budgetBytes }) else { return nil }
        self.init(word: word, freeCount: freeCount, width: width)
    }

    init(word: Word, freeCount: Int, width: Int) {
        self.word = word
        self.freeCount = freeCount
        self.width = width
    }

    /// The bytes of one pass's table.
    var bytes: Double { Double(freeCount + 1) * Double(width + 1) * Double(word.rawValue / 8) }

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
        precondition(freeWeights.count == freeCount)
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
