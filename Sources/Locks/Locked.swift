#if canImport(Glibc)
import Glibc
#endif

/// A value that threads share, guarded by a `pthread_mutex_t`.
///
/// It stands where `Synchronization.Mutex` would: `withLock` hands the value
/// out for the length of a closure. It exists because ThreadSanitizer cannot
/// see the futex-based `Mutex` of the Swift 6 toolchain on Linux and reports
/// every access under it as a race (checked with a two-thread counter), which
/// would drown real races in `swift test --sanitize=thread`; it does see
/// pthread mutexes.
///
/// `@unchecked Sendable`: `state` is read and written only inside `withLock`,
/// between `pthread_mutex_lock` and `pthread_mutex_unlock` on `mutex`, so no
/// two threads ever touch it at once.
public final class Locked<State: ~Copyable>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var state: State

    public init(_ state: consuming State) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        self.state = state
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value, holding the lock; `body` must not call back into this lock.
    public func withLock<Result: ~Copyable, Failure: Error>(_ body: (inout State) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&state)
    }
}
