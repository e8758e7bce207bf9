import Dispatch
import Foundation
import Synchronization

/// A fixed set of threads that run request handlers. Handlers may block (on
/// SQLite, say) without holding up the event loop or each other, and the
/// number of threads stays bounded however many connections are open.
final class WorkerPool: Sendable {
    typealias Job = @Sendable () -> Void

    private let jobs = Mutex<JobQueue>(JobQueue())
    private let available = DispatchSemaphore(value: 0)
    private let threadCount: Int

    init(threads: Int, name: String) {
        threadCount = max(1, threads)
        for index in 0..<threadCount {
            let thread = Thread { [self] in self.work() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    func submit(_ job: @escaping Job) {
        jobs.withLock { $0.push(job) }
        available.signal()
    }

    /// Lets every thread finish the queued jobs and exit: each extra signal
    /// finds the queue empty, which ends one thread.
    func stop() {
        for _ in 0..<threadCount { available.signal() }
    }

    private func work() {
        while true {
            available.wait()
            guard let job = jobs.withLock({ $0.pop() }) else { return }
            job()
        }
    }
}

/// A FIFO of jobs; `pop` answers nil when it is empty.
private struct JobQueue: ~Copyable {
    private var items: [WorkerPool.Job] = []
    private var head = 0

    mutating func push(_ job: @escaping WorkerPool.Job) {
        items.append(job)
    }

    mutating func pop() -> WorkerPool.Job? {
        guard head < items.count else { return nil }
        let job = items[head]
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024 {
            items.removeFirst(head)
            head = 0
        }
        return job
    }
}
