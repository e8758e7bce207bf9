#if canImport(Glibc)
import Glibc
#endif

/// Nanoseconds on the monotonic clock: deadlines and durations that wall-clock
/// changes cannot disturb.
enum MonotonicClock {
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
