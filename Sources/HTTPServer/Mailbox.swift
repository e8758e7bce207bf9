import CLinux
#if canImport(Glibc)
import Glibc
#endif
import Locks

/// What other threads tell the event loop.
enum LoopMessage: Sendable {
    /// A handler finished: the serialized response for connection `id`.
    case responded(connection: UInt64, bytes: [UInt8], close: Bool)
    /// Stop accepting, finish what is in flight, then stop.
    case shutdown
}

/// The event loop's inbox: a locked queue plus an eventfd that wakes `epoll_wait`.
/// Writing the eventfd only when the queue goes from empty to non-empty keeps
/// one wake-up per batch of messages.
final class Mailbox: Sendable {
    let eventFD: Int32
    private let messages = Locked<[LoopMessage]>([])

    init() throws {
        eventFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard eventFD >= 0 else { throw SocketError(operation: "eventfd", errno: errno) }
    }

    func post(_ message: LoopMessage) {
        let wasEmpty = messages.withLock { queue in
            queue.append(message)
            return queue.count == 1
        }
        if wasEmpty {
            var one: UInt64 = 1
            _ = write(eventFD, &one, 8)
        }
    }

    /// Everything posted so far (called on the loop thread after a wake-up).
    func drain() -> [LoopMessage] {
        var counter: UInt64 = 0
        _ = read(eventFD, &counter, 8)
        return messages.withLock { queue in
            let taken = queue
            queue.removeAll(keepingCapacity: true)
            return taken
        }
    }

    deinit {
        close(eventFD)
    }
}
