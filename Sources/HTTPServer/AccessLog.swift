import Logging
import Locks

/// The access log of API.md §10: time, request id, method, route template,
/// status, duration and bytes; never a token or a body.
///
/// Lines are gathered and written together when the event loop has handled
/// a round of events (`flush`), or as soon as 32 KiB wait: one `write` for
/// many requests under load, and no line later than the round that
/// answered it. A crash loses at most that round's lines.
public final class AccessLog: HTTPServerObserver {
    public let log: JSONLineLog
    private let pending = Locked<[UInt8]>([])

    public init(log: JSONLineLog = JSONLineLog()) {
        self.log = log
    }

    /// The longest method token logged as sent; a client may send kilobytes of one.
    static let maxLoggedMethod = 24
    /// Waiting lines are written at once past this many bytes.
    static let flushThreshold = 32 * 1024

    static func truncated(_ method: String) -> String {
        method.utf8.count <= maxLoggedMethod ? method : String(decoding: method.utf8.prefix(maxLoggedMethod), as: UTF8.self) + "…"
    }

    public func connectionsRefused(_ reason: ConnectionRefusal, count: Int) {
        log.write(level: "warn", "connections refused", [("reason", reason.rawValue), ("count", count)])
    }

    public func requestCompleted(_ record: RequestRecord) {
        let line = log.line("request", [
            ("request_id", record.requestID),
            ("method", Self.truncated(record.method)),
            ("route", record.route),
            ("status", record.status),
            ("duration_ms", Milliseconds(seconds: record.durationSeconds)),
            ("bytes", record.bytes),
        ])
        pending.withLock { lines in
            lines.append(contentsOf: line)
            if lines.count >= Self.flushThreshold { write(&lines) }
        }
    }

    public func flush() {
        pending.withLock { lines in
            if !lines.isEmpty { write(&lines) }
        }
    }

    /// Written under the lock, so batches reach the log in the order their lines were made.
    private func write(_ lines: inout [UInt8]) {
        log.write(lines)
        lines.removeAll(keepingCapacity: true)
    }
}
