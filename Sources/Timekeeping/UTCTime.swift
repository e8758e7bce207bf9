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
///
/// Written digit by digit into the string's storage: every log line and
/// every request's clock reading format one, so this stays off the profile.
public enum RFC3339 {
    /// `2026-11-27`
    public static func date(_ time: UTCTime) -> String {
        guard (0...9999).contains(time.year) else { return "\(UTCTime.padded(time.year, 4))-\(UTCTime.padded(time.month))-\(UTCTime.padded(time.day))" }
        return String(unsafeUninitializedCapacity: 10) { text in
            writeDate(time, into: text)
            return 10
        }
    }

    /// `2026-11-27T10:15:00Z`, or with `.123` when `milliseconds` is given.
    public static func timestamp(_ time: UTCTime, milliseconds: Int? = nil) -> String {
        guard (0...9999).contains(time.year) else {
            var text = date(time) + "T\(UTCTime.padded(time.hour)):\(UTCTime.padded(time.minute)):\(UTCTime.padded(time.second))"
            if let milliseconds { text += "." + UTCTime.padded(milliseconds, 3) }
            return text + "Z"
        }
        let length = milliseconds == nil ? 20 : 24
        return String(unsafeUninitializedCapacity: length) { text in
            writeDate(time, into: text)
            text[10] = UInt8(ascii: "T")
            writeDigits(time.hour, width: 2, into: text, at: 11)
            text[13] = UInt8(ascii: ":")
            writeDigits(time.minute, width: 2, into: text, at: 14)
            text[16] = UInt8(ascii: ":")
            writeDigits(time.second, width: 2, into: text, at: 17)
            if let milliseconds {
                text[19] = UInt8(ascii: ".")
                writeDigits(milliseconds, width: 3, into: text, at: 20)
            }
            text[length - 1] = UInt8(ascii: "Z")
            return length
        }
    }

    private static func writeDate(_ time: UTCTime, into text: UnsafeMutableBufferPointer<UInt8>) {
        writeDigits(time.year, width: 4, into: text, at: 0)
        text[4] = UInt8(ascii: "-")
        writeDigits(time.month, width: 2, into: text, at: 5)
        text[7] = UInt8(ascii: "-")
        writeDigits(time.day, width: 2, into: text, at: 8)
    }

    /// The last `width` decimal digits of `value` (non-negative), zero-padded.
    private static func writeDigits(_ value: Int, width: Int, into text: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        var rest = value
        for index in stride(from: offset + width - 1, through: offset, by: -1) {
            text[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }
}
