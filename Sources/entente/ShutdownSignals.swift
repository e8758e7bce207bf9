import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM and SIGINT, taken synchronously by one thread with `sigwait`.
///
/// `block()` runs first, before any thread exists, so every thread inherits
/// the mask: a signal that arrives while the server is still starting stays
/// pending instead of killing the process or being lost, and is handled as
/// soon as `wait` starts listening.
enum ShutdownSignals {
    private static func signals() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        return set
    }

    static func block() {
        var mask = signals()
        pthread_sigmask(SIG_BLOCK, &mask, nil)
    }

    /// Calls `handler` with the first signal taken, on a thread of its own.
    static func wait(_ handler: @escaping @Sendable (Int32) -> Void) {
        let thread = Thread {
            var mask = signals()
            var number: Int32 = 0
            while sigwait(&mask, &number) != 0 {}
            handler(number)
        }
        thread.name = "entente-signals"
        thread.start()
    }
}
