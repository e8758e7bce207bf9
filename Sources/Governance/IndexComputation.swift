extension GameCounter {
    /// Turns swing counts into the indices asked for. Shapley–Shubik weighs a
    /// swing of a coalition of size s by s!(n−1−s)!/n!: the numerators are
    /// summed exactly and divided once. Rounded counts give an interval for
    /// each index; the midpoints are reported, scaled so that each index sums
    /// to 1, with an error bound that covers the scaling.
    func finish(_ counted: CountedSwings) -> PowerIndices {
        let n = game.playerCount
        let wantsShapley = indices.contains(.shapleyShubik)
        let orderingWeights = wantsShapley ? Self.orderingWeights(playerCount: n) : []
        let orderings = !wantsShapley ? BigUInt(1) : (1...max(n, 1)).reduce(BigUInt(1)) { product, factor in
            var next = product
            next.multiply(by: UInt64(factor))
            return next
        }
        var cache: [SwingCounts: (swings: BigUInt, pivotalOrderings: BigUInt)] = [:]
        func totals(_ counts: SwingCounts) -> (swings: BigUInt, pivotalOrderings: BigUInt) {
            if let known = cache[counts] { return known }
            var swings = BigUInt(), pivotal = BigUInt()
            switch counts {
            case .total(let total):
                precondition(!wantsShapley, "Shapley–Shubik needs swings by coalition size")
                swings = total
            case .bySize(let bySize):
                for (size, count) in bySize.enumerated() where !count.isZero {
                    swings += count
                    if wantsShapley { pivotal.addProduct(count, orderingWeights[size]) }
                }
            }
            cache[counts] = (swings, pivotal)
            return (swings, pivotal)
        }
        let lower = counted.lower.map(totals), upper = counted.upper.map(totals)
        let lowerSum = lower.reduce(BigUInt()) { $0 + $1.swings }
        let upperSum = upper.reduce(BigUInt()) { $0 + $1.swings }
        func ratio(_ part: BigUInt, _ whole: BigUInt) -> Double { whole.isZero ? 0 : BigUInt.ratio(part, whole) }

        var banzhafLow: [Double] = [], banzhafHigh: [Double] = [], shapleyLow: [Double] = [], shapleyHigh: [Double] = []
        var swings: [BigUInt] = []
        for index in 0..<n {
            let low = lower[index], high = upper[index]
            swings.append(counted.isExact ? low.swings : (low.swings + high.swings) >> 1)
            if indices.contains(.banzhaf) {
                // Normalised Banzhaf is smallest when this party's swings are low and the others' high.
                banzhafLow.append(ratio(low.swings, upperSum - high.swings + low.swings))
                banzhafHigh.append(ratio(high.swings, lowerSum - low.swings + high.swings))
            }
            if wantsShapley {
                shapleyLow.append(ratio(low.pivotalOrderings, orderings))
                shapleyHigh.append(ratio(high.pivotalOrderings, orderings))
            }
        }
        let (banzhaf, banzhafBound) = counted.isExact ? (banzhafLow, 0) : Self.normalisedMidpoints(banzhafLow, banzhafHigh)
        let (shapleyShubik, shapleyBound) = counted.isExact ? (shapleyLow, 0) : Self.normalisedMidpoints(shapleyLow, shapleyHigh)
        let errorBound = max(banzhafBound, shapleyBound)

        let total = Rational(negative: false, numerator: game.totalWeight, denominator: BigUInt(1))
        let leastWinning = counted.leastWinningWeight ?? game.quota
        return PowerIndices(
            quota: game.totalWeight.isZero ? .zero : Rational(negative: false, numerator: leastWinning, denominator: BigUInt(1)) / total,
            method: counted.isExact ? .exact : .approximate,
            // Each Double division rounds by at most an ulp: 1e-12 covers them generously.
            errorBound: counted.isExact ? nil : errorBound + 1e-12,
            banzhaf: banzhaf,
            swings: swings,
            shapleyShubik: shapleyShubik,
            veto: (0..<n).map(isVeto),
            dummy: upper.map { $0.swings.isZero })
    }

    /// The midpoints of intervals that hold indices summing to 1, scaled to
    /// sum to 1 themselves, and the largest error that can leave. With m the
    /// midpoints, w the half-widths and S = Σm: the true v has |m − v| ≤ w and
    /// Σv = 1, so |m/S − v| ≤ m·|1 − S|/S + w. Nothing to scale when S is 0
    /// (no coalition wins: every index is 0).
    static func normalisedMidpoints(_ low: [Double], _ high: [Double]) -> (values: [Double], errorBound: Double) {
        let midpoints = zip(low, high).map { ($0 + $1) / 2 }
        let halfWidths = zip(low, high).map { ($1 - $0) / 2 }
        let sum = midpoints.reduce(0, +)
        guard sum > 0 else { return (midpoints, halfWidths.max() ?? 0) }
        let values = midpoints.map { $0 / sum }
        let bound = zip(midpoints, halfWidths).map { $0 * abs(1 - sum) / sum + $1 }.max() ?? 0
        return (values, bound)
    }

    /// s!(n−1−s)! for s in 0..<n.
    private static func orderingWeights(playerCount n: Int) -> [BigUInt] {
        guard n > 0 else { return [] }
        var factorials = [BigUInt(1)]
        for k in 1..<n {
            var next = factorials[k - 1]
            next.multiply(by: UInt64(k))
            factorials.append(next)
        }
        return (0..<n).map { factorials[$0] * factorials[n - 1 - $0] }
    }

    /// Whether every winning coalition contains the party: the others alone lose.
    private func isVeto(_ index: Int) -> Bool {
        game.isVeto[index]
            || game.totalWeight - game.weights[index] < game.quota
            || game.memberTotal - game.memberCounts[index] < game.partiesQuota
    }
}
