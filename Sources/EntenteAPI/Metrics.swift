import Foundation
import HTTPServer
import Registry
import Locks
import Timekeeping

/// Counters and histograms for `/metrics` (Prometheus text format 0.0.4):
/// requests by route template, method and status, request latency by route,
/// open connections, database timings and webhook deliveries by outcome.
public final class Metrics: HTTPServerObserver {
    private struct RequestKey: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    private struct State {
        var requests: [RequestKey: Int] = [:]
        var latency: [String: DurationHistogram] = [:]
        var deliveries: [String: Int] = [:]
    }

    private let state = Locked(State())
    /// Read at scrape time (set once the server runs).
    private let openConnections = Locked<(@Sendable () -> Int)?>(nil)

    public init() {}

    /// Methods counted by name; any other is `other`, so clients cannot add series at will.
    private static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    public func requestCompleted(_ record: RequestRecord) {
        let route = record.route ?? "unmatched"
        let method = Self.knownMethods.contains(record.method) ? record.method : "other"
        state.withLock { state in
            state.requests[RequestKey(route: route, method: method, status: record.status), default: 0] += 1
            state.latency[route, default: DurationHistogram()].observe(record.durationSeconds)
        }
    }

    /// Counts one webhook delivery attempt by outcome (`delivered`, `failed_attempt`, `gave_up`).
    public func deliveryAttempted(outcome: String) {
        state.withLock { $0.deliveries[outcome, default: 0] += 1 }
    }

    /// Where to read the number of open connections from.
    public func observeConnections(_ count: @escaping @Sendable () -> Int) {
        openConnections.withLock { $0 = count }
    }

    func render(database: DatabaseTimings) -> String {
        let snapshot = state.withLock { $0 }
        var out = "# HELP entente_http_requests_total Requests answered, by route template, method and status.\n"
        out += "# TYPE entente_http_requests_total counter\n"
        for (key, count) in snapshot.requests.sorted(by: { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }) {
            out += "entente_http_requests_total{route=\"\(escape(key.route))\",method=\"\(escape(key.method))\",status=\"\(key.status)\"} \(count)\n"
        }
        out += histogram("entente_http_request_duration_seconds", help: "Time from a complete request to its response, by route template.",
                         label: "route", snapshot.latency)
        out += "# HELP entente_open_connections Client connections open now.\n# TYPE entente_open_connections gauge\n"
        out += "entente_open_connections \(openConnections.withLock { $0?() ?? 0 })\n"
        out += histogram("entente_database_duration_seconds", help: "Time spent in database reads and write transactions.",
                         label: "kind", database.snapshot)
        out += "# HELP entente_webhook_deliveries_total Webhook delivery attempts, by outcome.\n# TYPE entente_webhook_deliveries_total counter\n"
        for outcome in ["delivered", "failed_attempt", "gave_up"] {
            out += "entente_webhook_deliveries_total{outcome=\"\(outcome)\"} \(snapshot.deliveries[outcome] ?? 0)\n"
        }
        return out
    }

    private func histogram(_ name: String, help: String, label: String, _ series: [String: DurationHistogram]) -> String {
        var out = "# HELP \(name) \(help)\n# TYPE \(name) histogram\n"
        for (value, h) in series.sorted(by: { $0.key < $1.key }) {
            var cumulative = 0
            for (index, bound) in DurationHistogram.bounds.enumerated() {
                cumulative += h.buckets[index]
                out += "\(name)_bucket{\(label)=\"\(escape(value))\",le=\"\(bound)\"} \(cumulative)\n"
            }
            out += "\(name)_bucket{\(label)=\"\(escape(value))\",le=\"+Inf\"} \(h.count)\n"
            out += "\(name)_sum{\(label)=\"\(escape(value))\"} \(h.sum)\n"
            out += "\(name)_count{\(label)=\"\(escape(value))\"} \(h.count)\n"
        }
        return out
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
