import Locks
import Timekeeping

/// Cumulative time spent in database work, by kind (`read`, `write`), as a
/// Prometheus histogram: what `/metrics` reports as database timings.
public final class DatabaseTimings: Sendable {
    private let state = Locked<[String: DurationHistogram]>([:])

    public init() {}

    func observe(_ kind: String, seconds: Double) {
        state.withLock { $0[kind, default: DurationHistogram()].observe(seconds) }
    }

    public var snapshot: [String: DurationHistogram] { state.withLock { $0 } }
}
