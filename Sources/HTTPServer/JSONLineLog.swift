#if canImport(Glibc)
import Glibc
#endif

/// Structured logs: one JSON object per line on a file descriptor (stdout by
/// default), written with a single `write` so lines from several threads never
/// interleave. Never give it a token or a request body.
public struct JSONLineLog: Sendable {
    public let fd: Int32

    public init(fd: Int32 = 1) {
        self.fd = fd
    }

    /// Writes `{"time": …, "level": …, "msg": …, fields…}`; field values are
    /// strings, integers, doubles, booleans or nil (null).
    public func write(level: String = "info", _ message: String, _ fields: [(String, (any Sendable)?)] = []) {
        var line = "{\"time\":\"\(WallClock.timestamp(milliseconds: true))\",\"level\":\(jsonQuoted(level)),\"msg\":\(jsonQuoted(message))"
        for (key, value) in fields {
            line += "," + jsonQuoted(key) + ":"
            switch value {
            case nil: line += "null"
            case let v as String: line += jsonQuoted(v)
            case let v as Int: line += String(v)
            case let v as Double: line += v.isFinite ? String(v) : "null"
            case let v as Bool: line += v ? "true" : "false"
            case let v?: line += jsonQuoted(String(describing: v))
            }
        }
        line += "}\n"
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }
}

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
