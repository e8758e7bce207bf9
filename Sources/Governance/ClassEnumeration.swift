/// Exact swing counts for games with few distinct free weights (equal voting,
/// colleges, the UN Security Council): parties of equal weight are
/// interchangeable, so a coalition is a count a_c per weight class, worth
/// Π C(m_c, a_c) coalitions. All classes but the largest are enumerated; for
/// the largest, the counts a that make a swing form an interval, found
/// directly, because winning is monotone in a.
struct ClassEnumeration: Sendable {
    private struct WeightClass { let weight: Int; let members: Int }

    private let freeWeights: [Int]
    private let classes: [WeightClass]       // the largest class last
    private let quota: Int                   // weight T must reach, veto weight deducted
    private let partiesQuota: Int            // size T must reach, veto parties deducted

    /// Number of prefixes to enumerate per target: the cost driver.
    let prefixCount: Int

    /// `freeWeights` of the free parties; `quota`/`partiesQuota` already net of the veto parties.
    init(freeWeights: [Int], quota: Int, partiesQuota: Int) {
        self.freeWeights = freeWeights
        self.quota = quota
        self.partiesQuota = partiesQuota
        var members: [Int: Int] = [:]
        for weight in freeWeights { members[weight, default: 0] += 1 }
        var classes = members.map { WeightClass(weight: $0.key, members: $0.value) }
            .sorted { ($0.members, $0.weight) < ($1.members, $1.weight) }
        if classes.isEmpty { classes = [WeightClass(weight: 0, members: 0)] }
        self.classes = classes
        var prefixes = 1
        for weightClass in classes.dropLast() {
            prefixes = prefixes.multipliedReportingOverflow(by: weightClass.members + 1).partialValue
            if prefixes > Int(Int32.max) { break }
        }
        prefixCount = prefixes
    }

    private func wins(weight: Int, size: Int) -> Bool { weight >= quota && size >= partiesQuota }

    /// The least a in 0...limit such that T = prefix + a parties of the last class
    /// (plus `extraWeight`, `extraSize`) wins; limit + 1 when none does.
    private func leastWinningCount(prefixWeight: Int, prefixSize: Int, extraWeight: Int, extraSize: Int,
                                   lastWeight: Int, limit: Int) -> Int {
        var least = max(0, partiesQuota - prefixSize - extraSize)
        let missing = quota - prefixWeight - extraWeight
        if missing > 0 {
            if lastWeight == 0 { return limit + 1 }
            least = max(least, (missing + lastWeight - 1) / lastWeight)
        }
        return min(least, limit + 1)
    }

    /// Calls `body(weight, size, coefficient)` for every choice of counts in all
    /// classes but the last, where the class at `reducedClass` has one member fewer.
    private func forEachPrefix(reducedClass: Int?, _ body: (Int, Int, BigUInt) -> Void) {
        let prefixClasses = classes.dropLast().enumerated().map { index, weightClass in
            WeightClass(weight: weightClass.weight, members: weightClass.members - (index == reducedClass ? 1 : 0))
        }
        let binomialRows = prefixClasses.map { binomialRow($0.members) }
        func recurse(_ level: Int, _ weight: Int, _ size: Int, _ coefficient: BigUInt) {
            if level == prefixClasses.count { body(weight, size, coefficient); return }
            let weightClass = prefixClasses[level]
            for count in 0...weightClass.members {
                recurse(level + 1, weight + count * weightClass.weight, size + count,
                        coefficient * binomialRows[level][count])
            }
        }
        recurse(0, 0, 0, BigUInt(1))
    }

    /// Counts by |T| of T ⊆ F∖{i} for a free party i of `weight`: V ∪ T loses, V ∪ T ∪ {i} wins.
    func swingsOfFreeParty(weight: Int) -> [BigUInt] {
        let classIndex = classes.firstIndex { $0.weight == weight }!
        let last = classes[classes.count - 1]
        let lastMembers = last.members - (classIndex == classes.count - 1 ? 1 : 0)
        let lastBinomials = binomialRow(lastMembers)
        var counts = [BigUInt](repeating: BigUInt(), count: freeWeights.count)
        forEachPrefix(reducedClass: classIndex == classes.count - 1 ? nil : classIndex) { prefixWeight, prefixSize, coefficient in
            let firstSwing = leastWinningCount(prefixWeight: prefixWeight, prefixSize: prefixSize, extraWeight: weight,
                                               extraSize: 1, lastWeight: last.weight, limit: lastMembers)
            let firstWin = leastWinningCount(prefixWeight: prefixWeight, prefixSize: prefixSize, extraWeight: 0,
                                             extraSize: 0, lastWeight: last.weight, limit: lastMembers)
            for count in firstSwing..<max(firstSwing, firstWin) {
                counts[prefixSize + count].addProduct(coefficient, lastBinomials[count])
            }
        }
        return counts
    }

    /// Counts by |T| of T ⊆ F such that V ∪ T wins: the swings of every veto party.
    func winningCoalitions() -> [BigUInt] {
        let last = classes[classes.count - 1]
        let lastBinomials = binomialRow(last.members)
        var counts = [BigUInt](repeating: BigUInt(), count: freeWeights.count + 1)
        forEachPrefix(reducedClass: nil) { prefixWeight, prefixSize, coefficient in
            let firstWin = leastWinningCount(prefixWeight: prefixWeight, prefixSize: prefixSize, extraWeight: 0,
                                             extraSize: 0, lastWeight: last.weight, limit: last.members)
            guard firstWin <= last.members else { return }
            for count in firstWin...last.members {
                counts[prefixSize + count].addProduct(coefficient, lastBinomials[count])
            }
        }
        return counts
    }

    /// The total of `swingsOfFreeParty(weight:)`, from partial sums of the last
    /// class's binomials instead of one term per count.
    func swingTotalOfFreeParty(weight: Int) -> BigUInt {
        let classIndex = classes.firstIndex { $0.weight == weight }!
        let last = classes[classes.count - 1]
        let lastMembers = last.members - (classIndex == classes.count - 1 ? 1 : 0)
        let partialSums = binomialPartialSums(lastMembers)
        var total = BigUInt()
        forEachPrefix(reducedClass: classIndex == classes.count - 1 ? nil : classIndex) { prefixWeight, prefixSize, coefficient in
            let firstSwing = leastWinningCount(prefixWeight: prefixWeight, prefixSize: prefixSize, extraWeight: weight,
                                               extraSize: 1, lastWeight: last.weight, limit: lastMembers)
            let firstWin = leastWinningCount(prefixWeight: prefixWeight, prefixSize: prefixSize, extraWeight: 0,
                                             extraSize: 0, lastWeight: last.weight, limit: lastMembers)
            if firstSwing < firstWin { total.addProduct(coefficient, partialSums[firstWin] - partialSums[firstSwing]) }
        }
        return total
    }

    /// The total of `winningCoalitions()`.
    func winningCoalitionTotal() -> BigUInt {
        let last = classes[classes.count - 1]
        let partialSums = binomialPartialSums(last.members)
        var total = BigUInt()
        forEachPrefix(reducedClass: nil) { prefixWeight, prefixSize, coefficient in
            let firstWin = leastWinningCount(prefixWeight: prefixWeight, prefixSize: prefixSize, extraWeight: 0,
                                             extraSize: 0, lastWeight: last.weight, limit: last.members)
            total.addProduct(coefficient, partialSums[last.members + 1] - partialSums[firstWin])
        }
        return total
    }

    /// The least weight of a winning T (the grand coalition always wins).
    func minimumWinningWeight() -> Int {
        let last = classes[classes.count - 1]
        var best = Int.max
        forEachPrefix(reducedClass: nil) { prefixWeight, prefixSize, _ in
            let firstWin = leastWinningCount(prefixWeight: prefixWeight, prefixSize: prefixSize, extraWeight: 0,
                                             extraSize: 0, lastWeight: last.weight, limit: last.members)
            if firstWin <= last.members { best = min(best, prefixWeight + firstWin * last.weight) }
        }
        return best
    }
}

/// C(n, 0), ..., C(n, n).
func binomialRow(_ n: Int) -> [BigUInt] {
    var row = [BigUInt(1)]
    row.reserveCapacity(n + 1)
    for k in 0..<max(n, 0) {
        var next = row[k]
        next.multiply(by: UInt64(n - k))
        row.append(next.quotientAndRemainder(dividingBy: UInt64(k + 1)).quotient)
    }
    return row
}

/// Σ_{b<a} C(n, b) for a in 0...n + 1.
private func binomialPartialSums(_ n: Int) -> [BigUInt] {
    var sums = [BigUInt()]
    sums.reserveCapacity(n + 2)
    for binomial in binomialRow(n) { sums.append(sums[sums.count - 1] + binomial) }
    return sums
}
