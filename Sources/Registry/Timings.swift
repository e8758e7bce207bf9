import Locks

/// Cumulative time spent in database work, by kind (`read`, `write`), as a
/// Prometheus histogram: what `/metrics` reports as database timings.
public final class DatabaseTimings: Sendable {
    public static let bounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    /// One histogram: counts per upper bound (the last slot is +Inf), sum and count.
    public struct Histogram: Sendable {
        public var buckets = [Int](repeating: 0, count: DatabaseTimings.bounds.count + 1)
        public var sum = 0.0
        public var count = 0

        public init() {}

        public mutating func observe(_ seconds: Double) {
            let slot = DatabaseTimings.bounds.firstIndex { seconds <= $0 } ?? DatabaseTimings.bounds.count
            buckets[slot] += 1
            sum += seconds
            count += 1
        }
    }

    private let state = Locked<[String: Histogram]>([:])

    public init() {}

    func observe(_ kind: String, seconds: Double) {
        state.withLock { $0[kind, default: Histogram()].observe(seconds) }
    }

    public var snapshot: [String: Histogram] { state.withLock { $0 } }
}
