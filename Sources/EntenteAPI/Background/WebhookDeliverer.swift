import Dispatch
import Digest
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPServer
import Logging
import Registry
import Locks

/// Delivers queued webhook events in the background (API.md §11): at least
/// once, signed, retried with backoff, and resumed after a restart since the
/// queue lives in the database. The registry's timed jobs are the
/// `JobScheduler`'s.
public final class WebhookDeliverer: Sendable {
    /// The retry schedule: the first retry after `firstRetry` at most, then
    /// doubling with ±20% jitter; after `maxRetries` retries the delivery fails.
    public struct Schedule: Sendable {
        public var firstRetry: Double
        public var maxRetries: Int
        public var timeout: Double
        public var pollInterval: Double

        public init(firstRetry: Double = 10, maxRetries: Int = 10, timeout: Double = 10, pollInterval: Double = 1) {
            self.firstRetry = firstRetry
            self.maxRetries = maxRetries
            self.timeout = timeout
            self.pollInterval = pollInterval
        }

        /// Seconds to wait after failed attempt `attempt` (1-based); nil when it was the last.
        func delay(after attempt: Int) -> Double? {
            guard attempt <= maxRetries else { return nil }
            let base = firstRetry * Double(1 << min(attempt - 1, 30))
            let jittered = base * Double.random(in: 0.8...1.2)
            return attempt == 1 ? min(jittered, firstRetry) : jittered
        }
    }

    private let registry: Registry
    private let metrics: Metrics
    private let log: JSONLineLog
    private let schedule: Schedule
    private let session: URLSession
    private let thread = BackgroundThread(name: "entente-webhooks")

    public init(registry: Registry, metrics: Metrics, log: JSONLineLog, schedule: Schedule = Schedule()) {
        self.registry = registry
        self.metrics = metrics
        self.log = log
        self.schedule = schedule
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = schedule.timeout
        configuration.timeoutIntervalForResource = schedule.timeout
        session = URLSession(configuration: configuration)
    }

    public func start() {
        thread.start { [self] in
            while thread.isRunning {
                let due = (try? registry.dueDeliveries(now: Date().timeIntervalSince1970, limit: 32)) ?? []
                deliver(due)
                if due.isEmpty { Thread.sleep(forTimeInterval: schedule.pollInterval) }
            }
        }
    }

    /// Asks the loop to stop after the deliveries under way; returns at once.
    public func requestStop() {
        thread.requestStop()
    }

    /// Stops, waiting at most `timeout` seconds for deliveries under way. One
    /// still running then is not recorded and stays pending: it is retried
    /// after the next start (delivery is at least once).
    public func stop(timeout: Double = 30) {
        thread.stop(timeout: timeout)
    }

    /// What one attempt came to.
    private struct Attempt: Sendable {
        var status: Int?
        var error: String?
        var finished: Date
    }

    /// Sends a batch at once and records each attempt.
    ///
    /// The requests run concurrently inside URLSession; this thread (the
    /// deliverer's own) waits for them all. No dispatch thread ever blocks on
    /// a reply: blocking the shared pool while the replies need threads of
    /// that same pool starved it, and deliveries crawled at one a second.
    private func deliver(_ batch: [PendingDelivery]) {
        guard !batch.isEmpty else { return }
        let attempts = Locked<[Int: Attempt]>([:])
        let group = DispatchGroup()
        var started: [Int: Date] = [:]
        for (index, delivery) in batch.enumerated() {
            guard let request = request(for: delivery) else {
                // Refused at registration; kept as a guard so a stored row can never stop the loop.
                try? registry.recordAttempt(delivery, at: .now(), statusCode: nil, error: "invalid URL", durationMS: 0, outcome: .failed, nextAttemptAt: nil)
                metrics.deliveryAttempted(outcome: "gave_up")
                continue
            }
            group.enter()
            started[index] = Date()
            session.dataTask(with: request) { _, response, error in
                var attempt = Attempt(status: nil, error: "no answer", finished: Date())
                if let error {
                    attempt.error = error.localizedDescription
                } else if let http = response as? HTTPURLResponse {
                    attempt.status = http.statusCode
                    attempt.error = (200..<300).contains(http.statusCode) ? nil : "HTTP \(http.statusCode)"
                }
                attempts.withLock { $0[index] = attempt }
                group.leave()
            }.resume()
        }
        _ = group.wait(timeout: .now() + schedule.timeout + 5)
        let finished = attempts.withLock { $0 }
        for (index, delivery) in batch.enumerated() {
            guard let start = started[index] else { continue }
            let attempt = finished[index] ?? Attempt(status: nil, error: "timed out", finished: Date())
            record(delivery, attempt, durationMS: Int(attempt.finished.timeIntervalSince(start) * 1000))
        }
    }

    /// The signed POST of one delivery; nil for a URL that cannot be requested.
    private func request(for delivery: PendingDelivery) -> URLRequest? {
        guard let url = URL(string: delivery.url) else { return nil }
        let timestamp = Int(Date().timeIntervalSince1970)
        let signature = Hex.encode(SHA256.hmac(key: Array(delivery.secret.utf8), message: Array("\(timestamp).\(delivery.payload)".utf8)))
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = Data(delivery.payload.utf8)
        request.timeoutInterval = schedule.timeout
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("t=\(timestamp),v1=\(signature)", forHTTPHeaderField: "Entente-Signature")
        request.setValue(delivery.eventID, forHTTPHeaderField: "Entente-Event-Id")
        request.setValue("entente/webhooks", forHTTPHeaderField: "User-Agent")
        return request
    }

    /// Records an attempt and schedules the retry, if any.
    private func record(_ delivery: PendingDelivery, _ attempt: Attempt, durationMS: Int) {
        let number = delivery.attempts + 1
        let succeeded = attempt.status.map { (200..<300).contains($0) } ?? false
        var outcome = DeliveryStatus.delivered
        var next: Double?
        if !succeeded {
            if let delay = schedule.delay(after: number) {
                outcome = .pending
                next = Date().timeIntervalSince1970 + delay
            } else {
                outcome = .failed
            }
            log.write(level: "warn", "webhook delivery failed", [
                ("webhook_id", delivery.webhookID), ("event_id", delivery.eventID), ("attempt", number),
                ("status_code", attempt.status), ("error", attempt.error), ("gave_up", outcome == .failed),
            ])
        }
        metrics.deliveryAttempted(outcome: succeeded ? "delivered" : outcome == .failed ? "gave_up" : "failed_attempt")
        do {
            try registry.recordAttempt(delivery, at: .now(), statusCode: attempt.status, error: attempt.error, durationMS: durationMS,
                                       outcome: outcome, nextAttemptAt: next)
        } catch {
            log.write(level: "error", "could not record a webhook attempt", [("error", "\(error)")])
        }
    }
}
