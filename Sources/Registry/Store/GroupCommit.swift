import Dispatch
import SQLite
import Locks

/// Group commit: write requests that arrive together share one SQLite
/// transaction, hence one WAL sync, instead of queueing for a sync each.
///
/// Each request's work runs in its own savepoint, so a request that fails
/// rolls back alone and the others still commit; no request is answered
/// before the `COMMIT` that makes its writes durable. One waiting thread at a
/// time leads: it takes every queued job, runs the batch on the writer
/// connection, then hands the lead to the next waiting thread, if any.
final class GroupCommit: Sendable {
    /// Batches stay short so one request never waits behind too many others.
    static let maxBatch = 64

    private struct Queue {
        var jobs: [any WriteJob] = []
        var leading = false
    }

    private let pool: DatabasePool
    private let queue = Locked(Queue())

    init(pool: DatabasePool) {
        self.pool = pool
    }

    func perform<T>(_ body: (Connection) throws -> T) throws -> T {
        try withoutActuallyEscaping(body) { body in
            let job = Job(body)
            let leads = queue.withLock { queue in
                queue.jobs.append(job)
                if queue.leading { return false }
                queue.leading = true
                return true
            }
            if leads || job.waitForTurn() == .lead {
                lead()
                _ = job.waitForTurn()
            }
            return try job.result!.get()
        }
    }

    /// Runs one batch, then passes the lead on (or gives it up when nothing waits).
    private func lead() {
        let batch = queue.withLock { queue in
            let batch = Array(queue.jobs.prefix(Self.maxBatch))
            queue.jobs.removeFirst(batch.count)
            return batch
        }
        do {
            try pool.withWriter { db in
                try db.transaction(.immediate) {
                    // After an I/O or full-disk error SQLite may roll the whole
                    // transaction back: later jobs must not run outside it, and
                    // every job of the batch fails with that error.
                    var lastStorageError: SQLiteError?
                    for job in batch {
                        guard db.isInTransaction else { throw SQLiteError.transactionRolledBack(after: lastStorageError) }
                        if let error = job.run(db) as? SQLiteError, error.storageFault != nil { lastStorageError = error }
                    }
                    guard db.isInTransaction else { throw SQLiteError.transactionRolledBack(after: lastStorageError) }
                }
            }
        } catch {
            for job in batch { job.fail(error) }
        }
        let next = queue.withLock { queue -> (any WriteJob)? in
            guard let first = queue.jobs.first else {
                queue.leading = false
                return nil
            }
            return first
        }
        next?.resume(.lead)
        for job in batch { job.resume(.done) }
    }
}

/// What a waiting thread is woken for.
enum WriteTurn: Sendable {
    case lead, done
}

/// A queued write, type-erased for the batch.
protocol WriteJob: AnyObject, Sendable {
    /// Runs the job in its savepoint; the error it failed with, if any.
    func run(_ db: Connection) -> (any Error)?
    func fail(_ error: any Error)
    func resume(_ turn: WriteTurn)
}

/// One request's write. It is `@unchecked Sendable` because its closure and
/// result cross threads in a strict hand-off: the submitting thread blocks in
/// `waitForTurn()` while the leader runs `body` and sets `result`, and reads
/// `result` only after the leader's `resume(.done)` (the semaphore orders them).
/// The leader drops `body` once run: the closure is only borrowed
/// (`withoutActuallyEscaping`) and must not outlive the submitter's wait.
private final class Job<T>: WriteJob, @unchecked Sendable {
    private var body: ((Connection) throws -> T)?
    private let wakeUp = DispatchSemaphore(value: 0)
    private var turn: WriteTurn = .done
    var result: Result<T, any Error>?

    init(_ body: @escaping (Connection) throws -> T) {
        self.body = body
    }

    func run(_ db: Connection) -> (any Error)? {
        guard let body else { return nil }
        let outcome = Result { try db.savepoint { try body(db) } }
        result = outcome
        self.body = nil
        if case .failure(let error) = outcome { return error }
        return nil
    }

    func fail(_ error: any Error) {
        result = .failure(error)
        body = nil
    }

    func resume(_ turn: WriteTurn) {
        self.turn = turn
        wakeUp.signal()
    }

    func waitForTurn() -> WriteTurn {
        wakeUp.wait()
        return turn
    }
}
