#if canImport(Glibc)
import Glibc
#endif
import Locks
import Timekeeping

/// The `Date` header value (IMF-fixdate, RFC 9110 §5.6.7), formatted once a second.
final class HTTPDate: Sendable {
    static let shared = HTTPDate()

    private let cache = Locked<(second: Int, text: String)>((-1, ""))

    func current() -> String {
        let now = WallClock.epochSeconds()
        return cache.withLock { cached in
            if cached.second != now {
                cached = (now, Self.format(now))
            }
            return cached.text
        }
    }

    static func format(_ seconds: Int) -> String {
        let time = UTCTime(epochSeconds: seconds)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(days[time.weekday]), \(UTCTime.padded(time.day)) \(months[time.month - 1]) \(time.year) "
            + "\(UTCTime.padded(time.hour)):\(UTCTime.padded(time.minute)):\(UTCTime.padded(time.second)) GMT"
    }
}
