import Dispatch
import Foundation
import Locks

/// A fixed set of threads that run jobs in order: the server's request
/// handlers, or a lane of long work of an application's own. Jobs may block
/// (on SQLite, say) without holding up the event loop or each other, and the
/// number of threads stays bounded however many connections are open.
public final class WorkerPool: Sendable {
    public typealias Job = @Sendable () -> Void

    private let jobs = Locked<JobQueue>(JobQueue())
    private let available = DispatchSemaphore(value: 0)
    private let threadCount: Int
    /// The most jobs that may wait; `submit` refuses past it.
    private let capacity: Int

    public init(threads: Int, name: String, capacity: Int = .max) {
        threadCount = max(1, threads)
        self.capacity = capacity
        for index in 0..<threadCount {
            let thread = Thread { [self] in self.work() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    /// Queues `job`; false (and nothing queued) when `capacity` jobs already wait.
    @discardableResult
    public func submit(_ job: @escaping Job) -> Bool {
        let queued = jobs.withLock { queue in
            guard queue.count < capacity else { return false }
            queue.push(job)
            return true
        }
        if queued { available.signal() }
        return queued
    }

    /// Lets every thread finish the queued jobs and exit: each extra signal
    /// finds the queue empty, which ends one thread.
    public func stop() {
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

    var count: Int { items.count - head }

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

/// The server's two pools of request workers: one for safe methods (reads,
/// which mostly compute) and one for the others (writes, which mostly wait
/// for their commit), each sized for its kind of work.
struct WorkerPools: Sendable {
    let reads: WorkerPool
    let writes: WorkerPool

    /// The pool for a request of `method`: safe methods (RFC 9110 §9.2.1) read.
    func pool(for method: String) -> WorkerPool {
        switch method {
        case "GET", "HEAD", "OPTIONS", "TRACE": reads
        default: writes
        }
    }

    func stop() {
        reads.stop()
        writes.stop()
    }
}
