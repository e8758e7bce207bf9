#if canImport(Glibc)
import Glibc
#endif

/// A moment broken down on the UTC calendar: what every timestamp format of
/// the service (RFC 3339 instants and dates, the HTTP `Date` header) is built from.
public struct UTCTime: Sendable, Equatable {
    public let year: Int
    /// 1–12.
    public let month: Int
    /// 1–31.
    public let day: Int
    public let hour: Int
    public let minute: Int
    public let second: Int
    /// 0 (Sunday) – 6 (Saturday).
    public let weekday: Int

    /// The UTC calendar time of `epochSeconds` seconds since 1970.
    public init(epochSeconds: Int) {
        var t = epochSeconds
        var parts = tm()
        gmtime_r(&t, &parts)
        year = Int(parts.tm_year) + 1900
        month = Int(parts.tm_mon) + 1
        day = Int(parts.tm_mday)
        hour = Int(parts.tm_hour)
        minute = Int(parts.tm_min)
        second = Int(parts.tm_sec)
        weekday = Int(parts.tm_wday)
    }

    /// `n` in decimal, left-padded with zeros to `width` digits.
    public static func padded(_ n: Int, _ width: Int = 2) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}

/// RFC 3339 text in UTC: `2026-11-27` and `2026-11-27T10:15:00Z`.
public enum RFC3339 {
    /// `2026-11-27`
    public static func date(_ time: UTCTime) -> String {
        "\(UTCTime.padded(time.year, 4))-\(UTCTime.padded(time.month))-\(UTCTime.padded(time.day))"
    }

    /// `2026-11-27T10:15:00Z`, or with `.123` when `milliseconds` is given.
    public static func timestamp(_ time: UTCTime, milliseconds: Int? = nil) -> String {
        var text = date(time) + "T\(UTCTime.padded(time.hour)):\(UTCTime.padded(time.minute)):\(UTCTime.padded(time.second))"
        if let milliseconds { text += "." + UTCTime.padded(milliseconds, 3) }
        return text + "Z"
    }
}
