#if canImport(Glibc)
import Glibc
#endif

/// Nanoseconds on the monotonic clock: deadlines and durations that wall-clock
/// changes cannot disturb. The one clock the service measures time spans with.
public enum MonotonicClock {
    /// Nanoseconds since an arbitrary, fixed point.
    public static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Seconds elapsed since `start`, a value of `now()`.
    public static func seconds(since start: UInt64) -> Double {
        Double(now() &- start) / 1e9
    }
}
