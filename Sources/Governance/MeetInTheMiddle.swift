/// A coalition weight type for `MeetInTheMiddle`: `UInt128` normally,
/// `BigUInt` when the common denominator of the shares is larger still.
protocol CoalitionWeight: Hashable, Comparable, Sendable {
    static var zero: Self { get }
    static func + (lhs: Self, rhs: Self) -> Self
    static func - (lhs: Self, rhs: Self) -> Self
    var bigUIntValue: BigUInt { get }
}

extension UInt128: CoalitionWeight {
    var bigUIntValue: BigUInt { BigUInt(self) }
}

extension BigUInt: CoalitionWeight {
    var bigUIntValue: BigUInt { self }
}

/// Exact swing counts for up to ~25 free parties with arbitrarily large
/// weights (pledges in cents make weight tables far too wide for dynamic
/// programming). The other parties are split into two halves; each half's
/// subsets are listed by size and sorted by weight, and for each pair of
/// sizes the pairs whose summed weight falls in the swing range are counted
/// with two pointers: O(n² · 2^(n/2)) per party instead of 2^n.
struct MeetInTheMiddle<Weight: CoalitionWeight>: Sendable {
    private let freeWeights: [Weight]
    private let quota: Weight
    /// Weight of the veto parties, always in the coalition.
    private let baseWeight: Weight
    /// Size T must reach, veto parties deducted.
    private let partiesQuota: Int

    init(freeWeights: [Weight], quota: Weight, baseWeight: Weight, partiesQuota: Int) {
        self.freeWeights = freeWeights
        self.quota = quota
        self.baseWeight = baseWeight
        self.partiesQuota = partiesQuota
    }

    /// Subset weights of `weights`, bucketed by subset size, each bucket sorted.
    private static func subsetWeightsBySize(_ weights: ArraySlice<Weight>) -> [[Weight]] {
        var buckets = [[(Weight)]](repeating: [], count: weights.count + 1)
        func recurse(_ index: Int, _ weight: Weight, _ size: Int) {
            if index == weights.endIndex { buckets[size].append(weight); return }
            recurse(index + 1, weight, size)
            recurse(index + 1, weight + weights[index], size + 1)
        }
        recurse(weights.startIndex, .zero, 0)
        return buckets.map { $0.sorted() }
    }

    /// Pairs (a, b) with a + b + offset ≥ quota; both lists ascending.
    private func pairsReachingQuota(_ left: [Weight], _ right: [Weight], offset: Weight) -> UInt64 {
        var count: UInt64 = 0, firstReaching = 0
        for a in left.reversed() {
            let partial = a + offset
            while firstReaching < right.count && partial + right[firstReaching] < quota { firstReaching += 1 }
            count += UInt64(right.count - firstReaching)
        }
        return count
    }

    /// Calls `body(size, left, right)` for every pair of size buckets of the two halves of `weights`.
    private static func forEachBucketPair(_ weights: [Weight], _ body: (Int, [Weight], [Weight]) -> Void) {
        let middle = weights.count / 2
        let left = subsetWeightsBySize(weights[..<middle]), right = subsetWeightsBySize(weights[middle...])
        for (leftSize, leftBucket) in left.enumerated() {
            for (rightSize, rightBucket) in right.enumerated() {
                body(leftSize + rightSize, leftBucket, rightBucket)
            }
        }
    }

    /// Counts by |T| of T ⊆ F∖{i} for the free party at `position`: V ∪ T loses, V ∪ T ∪ {i} wins.
    func swingsOfFreeParty(at position: Int) -> [BigUInt] {
        var others = freeWeights
        let weight = others.remove(at: position)
        var counts = [UInt64](repeating: 0, count: freeWeights.count)
        Self.forEachBucketPair(others) { size, left, right in
            guard size + 1 >= partiesQuota else { return }
            var swings = pairsReachingQuota(left, right, offset: baseWeight + weight)
            if size >= partiesQuota { swings -= pairsReachingQuota(left, right, offset: baseWeight) }
            counts[size] += swings
        }
        return counts.map { BigUInt($0) }
    }

    /// Counts by |T| of T ⊆ F such that V ∪ T wins: the swings of every veto party.
    func winningCoalitions() -> [BigUInt] {
        var counts = [UInt64](repeating: 0, count: freeWeights.count + 1)
        Self.forEachBucketPair(freeWeights) { size, left, right in
            if size >= partiesQuota { counts[size] += pairsReachingQuota(left, right, offset: baseWeight) }
        }
        return counts.map { BigUInt($0) }
    }

    /// The least weight of a winning coalition, veto parties included.
    func minimumWinningWeight() -> Weight {
        var best: Weight?
        Self.forEachBucketPair(freeWeights) { size, left, right in
            guard size >= partiesQuota else { return }
            var firstReaching = 0
            for a in left.reversed() {
                let partial = a + baseWeight
                while firstReaching < right.count && partial + right[firstReaching] < quota { firstReaching += 1 }
                guard firstReaching < right.count else { break }
                let candidate = partial + right[firstReaching]
                if best == nil || candidate < best! { best = candidate }
            }
        }
        return best!
    }
}
