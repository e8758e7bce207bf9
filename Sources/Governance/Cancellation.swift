/// A way for the caller to stop a long computation early (its client left,
/// say). Engines check it between units of work of bounded cost — a party
/// added to a table, a party's swings counted — so it stops within
/// milliseconds to a few hundred of them.
public struct Cancellation: Sendable {
    private let isCancelled: @Sendable () -> Bool

    public init(_ isCancelled: @escaping @Sendable () -> Bool) {
        self.isCancelled = isCancelled
    }

    /// A computation nobody stops.
    public static let never = Cancellation { false }

    func check() throws(ComputationCancelled) {
        if isCancelled() { throw ComputationCancelled() }
    }
}

/// Thrown when a `Cancellation` asked the computation to stop.
public struct ComputationCancelled: Error, Sendable {}
