import Dispatch
import Foundation
import Synchronization

/// A named thread running one loop in the background until asked to stop:
/// the lifecycle the webhook deliverer and the job scheduler share.
final class BackgroundThread: Sendable {
    private let name: String
    private let running = Atomic<Bool>(false)
    private let stopped = DispatchSemaphore(value: 0)

    init(name: String) {
        self.name = name
    }

    /// Whether the loop should go on (false once a stop was asked for).
    var isRunning: Bool { running.load(ordering: .relaxed) }

    /// Starts `loop` on a thread of its own; `loop` returns once `isRunning` is false.
    func start(_ loop: @escaping @Sendable () -> Void) {
        running.store(true, ordering: .relaxed)
        let thread = Thread { [self] in
            loop()
            stopped.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Asks the loop to stop after the step under way; returns at once.
    func requestStop() {
        running.store(false, ordering: .relaxed)
    }

    /// Asks the loop to stop and waits at most `timeout` seconds for it.
    func stop(timeout: Double) {
        requestStop()
        guard stopped.wait(timeout: .now() + timeout) == .success else { return }
        stopped.signal()  // later calls return at once
    }
}
