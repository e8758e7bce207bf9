/// Durations counted into Prometheus buckets: counts per upper bound (the
/// last slot is +Inf), their sum and their count. Request latencies and
/// database timings both use it, so `/metrics` has one set of bounds.
public struct DurationHistogram: Sendable {
    /// Upper bounds of the buckets, in seconds.
    public static let bounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    public private(set) var buckets = [Int](repeating: 0, count: DurationHistogram.bounds.count + 1)
    public private(set) var sum = 0.0
    public private(set) var count = 0

    public init() {}

    /// Counts one duration of `seconds`.
    public mutating func observe(_ seconds: Double) {
        let slot = Self.bounds.firstIndex { seconds <= $0 } ?? Self.bounds.count
        buckets[slot] += 1
        sum += seconds
        count += 1
    }
}
