import Synchronization

/// Whether the client of a request is still connected. The event loop marks
/// it gone when the peer closes its side (or resets) while the request is
/// with a handler; long work checks it to stop early, since nobody would
/// read its answer.
public final class ClientPresence: Sendable {
    private let gone = Atomic<Bool>(false)

    public init() {}

    public var isGone: Bool { gone.load(ordering: .relaxed) }

    func markGone() { gone.store(true, ordering: .relaxed) }
}
