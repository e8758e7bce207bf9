#if canImport(Glibc)
import Glibc
#endif

/// RFC 3339 UTC timestamps from the system clock.
public enum WallClock {
    /// `2026-11-27T10:15:00Z`, or with `.123` milliseconds.
    public static func timestamp(milliseconds: Bool = false) -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return format(seconds: ts.tv_sec, milliseconds: milliseconds ? Int(ts.tv_nsec / 1_000_000) : nil)
    }

    static func format(seconds: Int, milliseconds: Int?) -> String {
        var t = seconds
        var parts = tm()
        gmtime_r(&t, &parts)
        func pad(_ n: Int32, _ width: Int = 2) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        var text = "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))T"
            + "\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec))"
        if let milliseconds { text += "." + pad(Int32(milliseconds), 3) }
        return text + "Z"
    }
}
