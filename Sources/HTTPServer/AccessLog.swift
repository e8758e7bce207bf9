import Logging

/// The access log of API.md §10: time, request id, method, route template,
/// status, duration and bytes; never a token or a body.
public struct AccessLog: HTTPServerObserver {
    public let log: JSONLineLog

    public init(log: JSONLineLog = JSONLineLog()) {
        self.log = log
    }

    /// The longest method token logged as sent; a client may send kilobytes of one.
    static let maxLoggedMethod = 24

    static func truncated(_ method: String) -> String {
        method.utf8.count <= maxLoggedMethod ? method : String(decoding: method.utf8.prefix(maxLoggedMethod), as: UTF8.self) + "…"
    }

    public func connectionsRefused(_ reason: ConnectionRefusal, count: Int) {
        log.write(level: "warn", "connections refused", [("reason", reason.rawValue), ("count", count)])
    }

    public func requestCompleted(_ record: RequestRecord) {
        log.write("request", [
            ("request_id", record.requestID),
            ("method", Self.truncated(record.method)),
            ("route", record.route),
            ("status", record.status),
            ("duration_ms", (record.durationSeconds * 1_000_000).rounded() / 1000),
            ("bytes", record.bytes),
        ])
    }
}
