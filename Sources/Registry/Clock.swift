import Locks
#if canImport(Glibc)
import Glibc
#endif

/// The registry's notion of now: an RFC 3339 UTC instant and the UTC calendar date.
public struct Instant: Sendable, Equatable {
    /// `2026-11-27T10:15:00Z`
    public let timestamp: String
    /// `2026-11-27`
    public let date: String
    /// Seconds since 1970.
    public let epochSeconds: Int

    public static func now() -> Instant {
        Instant(epochSeconds: time(nil))
    }

    public init(epochSeconds: Int) {
        var t = epochSeconds
        var parts = tm()
        gmtime_r(&t, &parts)
        let date = "\(Self.pad(Int(parts.tm_year) + 1900, 4))-\(Self.pad(Int(parts.tm_mon) + 1))-\(Self.pad(Int(parts.tm_mday)))"
        self.epochSeconds = epochSeconds
        self.date = date
        self.timestamp = date + "T\(Self.pad(Int(parts.tm_hour))):\(Self.pad(Int(parts.tm_min))):\(Self.pad(Int(parts.tm_sec)))Z"
    }

    /// This instant shifted by whole days (for windows such as `expiring_within_days`).
    public func adding(days: Int) -> Instant {
        Instant(epochSeconds: epochSeconds + days * 86_400)
    }

    private static func pad(_ n: Int, _ width: Int = 2) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}

/// Where the registry reads the time: the system clock, or, in tests, an
/// instant set by hand so that every date rule can be tested at its
/// boundaries without sleeping.
public final class RegistryClock: Sendable {
    private let fixed = Locked<Instant?>(nil)

    public init() {}

    /// The set instant, or the system's time.
    public func now() -> Instant {
        fixed.withLock { $0 } ?? Instant.now()
    }

    /// Stops the clock at `instant` (nil: back to the system's time).
    public func set(_ instant: Instant?) {
        fixed.withLock { $0 = instant }
    }
}
