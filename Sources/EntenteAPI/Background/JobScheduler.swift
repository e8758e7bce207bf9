import Foundation
import Logging
import Registry
import Timekeeping

/// The registry's timed work, run in the background by `entente serve`:
/// `convention.expiring` notices, decisions whose `closes_at` has passed,
/// and the due-date job (breach notices lapse into default,
/// `obligation.overdue` and `contribution.overdue` fire). A failed run is
/// logged and tried again at its next turn. Webhook delivery is the
/// `WebhookDeliverer`'s, on a thread of its own.
public final class JobScheduler: Sendable {
    /// One kind of timed work.
    public struct Job: Sendable {
        /// Named in the log line of a failed run (`expiry check failed`).
        public let name: String
        /// Seconds between two runs; 0 runs it at every tick.
        public let interval: Double
        public let run: @Sendable () throws -> Void

        public init(name: String, interval: Double, run: @escaping @Sendable () throws -> Void) {
            self.name = name
            self.interval = interval
            self.run = run
        }
    }

    /// The registry's jobs, in the order they run at a tick.
    public static func registryJobs(_ registry: Registry) -> [Job] {
        [
            Job(name: "expiry check", interval: 60) { try registry.fireExpiringNotices() },
            Job(name: "due-date check", interval: 60) { try registry.settleDueDates() },
            Job(name: "closing due decisions", interval: 0) { try registry.closeDueDecisions() },
            Job(name: "approving due minutes", interval: 0) { try registry.approveDueMinutes() },
        ]
    }

    private let jobs: [Job]
    private let log: JSONLineLog
    private let tick: Double
    private let thread = BackgroundThread(name: "entente-jobs")

    /// A scheduler that looks for due jobs every `tick` seconds.
    public init(jobs: [Job], log: JSONLineLog, tick: Double = 1) {
        self.jobs = jobs
        self.log = log
        self.tick = tick
    }

    public func start() {
        thread.start { [self] in
            var lastRun = [UInt64?](repeating: nil, count: jobs.count)
            while thread.isRunning {
                let now = MonotonicClock.now()
                for (index, job) in jobs.enumerated() {
                    if let last = lastRun[index], Double(now - last) / 1e9 < job.interval { continue }
                    lastRun[index] = now
                    do { try job.run() } catch {
                        log.write(level: "error", "\(job.name) failed", [("error", "\(error)")])
                    }
                }
                Thread.sleep(forTimeInterval: tick)
            }
        }
    }

    /// Asks the scheduler to stop after the job under way; returns at once.
    public func requestStop() {
        thread.requestStop()
    }

    /// Stops, waiting at most `timeout` seconds for the job under way.
    public func stop(timeout: Double = 30) {
        thread.stop(timeout: timeout)
    }
}
