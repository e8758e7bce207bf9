#if canImport(Glibc)
import Glibc
#endif

/// The system's calendar clock (it may jump; measure spans with `MonotonicClock`).
public enum WallClock {
    /// Whole seconds since 1970.
    public static func epochSeconds() -> Int {
        time(nil)
    }

    /// Milliseconds since 1970.
    public static func epochMilliseconds() -> Int {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return ts.tv_sec * 1000 + ts.tv_nsec / 1_000_000
    }

    /// Now as RFC 3339 UTC: `2026-11-27T10:15:00Z`, or with `.123` milliseconds.
    public static func timestamp(milliseconds: Bool = false) -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return RFC3339.timestamp(UTCTime(epochSeconds: ts.tv_sec), milliseconds: milliseconds ? Int(ts.tv_nsec / 1_000_000) : nil)
    }
}
