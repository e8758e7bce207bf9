import Locks
import Timekeeping

/// The registry's notion of now: an RFC 3339 UTC instant and the UTC calendar date.
public struct Instant: Sendable, Equatable {
    /// `2026-11-27T10:15:00Z`
    public let timestamp: String
    /// `2026-11-27`
    public let date: String
    /// Seconds since 1970.
    public let epochSeconds: Int

    public static func now() -> Instant {
        Instant(epochSeconds: WallClock.epochSeconds())
    }

    public init(epochSeconds: Int) {
        let time = UTCTime(epochSeconds: epochSeconds)
        self.epochSeconds = epochSeconds
        self.date = RFC3339.date(time)
        self.timestamp = RFC3339.timestamp(time)
    }

    /// This instant shifted by whole days (for windows such as `expiring_within_days`).
    public func adding(days: Int) -> Instant {
        Instant(epochSeconds: epochSeconds + days * 86_400)
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
