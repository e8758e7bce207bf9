#if canImport(Glibc)
import Glibc
#endif
import JSON
import Locks
import Timekeeping

/// Structured logs: one JSON object per line on a file descriptor (stdout by
/// default), written with a single `write` so lines from several threads never
/// interleave. Never give it a token or a request body.
public struct JSONLineLog: Sendable {
    /// The descriptor lines are written to.
    public let fd: Int32

    /// A log writing to `fd` (1: stdout).
    public init(fd: Int32 = 1) {
        self.fd = fd
    }

    /// Writes `{"time": …, "level": …, "msg": …, fields…}` (see `line`).
    public func write(level: String = "info", _ message: String, _ fields: [(String, (any Sendable)?)] = []) {
        write(line(level: level, message, fields))
    }

    /// The bytes of one log line, newline included: field values are
    /// strings, integers, doubles, booleans, `Milliseconds` or nil (null). Strings are escaped
    /// by the `JSON` module's writer, the one every JSON text of the service
    /// uses. Built as bytes: the access log makes one per request.
    public func line(level: String = "info", _ message: String, _ fields: [(String, (any Sendable)?)] = []) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(256)
        line.append(contentsOf: #"{"time":""#.utf8)
        Self.appendTimestamp(to: &line)
        line.append(contentsOf: #"","level":"#.utf8)
        JSON.string(level).write(to: &line)
        line.append(contentsOf: #","msg":"#.utf8)
        JSON.string(message).write(to: &line)
        for (key, value) in fields {
            line.append(UInt8(ascii: ","))
            JSON.string(key).write(to: &line)
            line.append(UInt8(ascii: ":"))
            switch value {
            case nil: line.append(contentsOf: "null".utf8)
            case let v as String: JSON.string(v).write(to: &line)
            case let v as Int: line.append(contentsOf: String(v).utf8)
            case let v as Double: line.append(contentsOf: (v.isFinite ? String(v) : "null").utf8)
            case let v as Bool: line.append(contentsOf: (v ? "true" : "false").utf8)
            case let v as Milliseconds: v.write(to: &line)
            case let v?: JSON.string(String(describing: v)).write(to: &line)
            }
        }
        line.append(contentsOf: "}\n".utf8)
        return line
    }

    /// The second of the last line and its RFC 3339 text up to the dot:
    /// lines of the same second only add their milliseconds.
    private static let currentSecond = Locked<(second: Int, prefix: [UInt8])>((-1, []))

    /// Now as `2026-11-27T10:15:00.123Z`.
    private static func appendTimestamp(to line: inout [UInt8]) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let second = now.tv_sec
        currentSecond.withLock { cached in
            if cached.second != second {
                cached = (second, Array(RFC3339.timestamp(UTCTime(epochSeconds: second)).utf8.dropLast()))  // without the Z
                cached.prefix.append(UInt8(ascii: "."))
            }
            line.append(contentsOf: cached.prefix)
        }
        let milliseconds = now.tv_nsec / 1_000_000
        line.append(UInt8(ascii: "0") + UInt8(milliseconds / 100))
        line.append(UInt8(ascii: "0") + UInt8(milliseconds / 10 % 10))
        line.append(UInt8(ascii: "0") + UInt8(milliseconds % 10))
        line.append(UInt8(ascii: "Z"))
    }

    /// Writes whole lines with as few `write` calls as the descriptor allows.
    public func write(_ lines: [UInt8]) {
        lines.withUnsafeBytes { buffer in
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

/// A duration logged in milliseconds with three decimals (`12.345`), a JSON
/// number written without formatting a `Double` (the access log logs one per request).
public struct Milliseconds: Sendable {
    /// The duration in whole microseconds, rounded.
    public let microseconds: Int

    public init(seconds: Double) {
        microseconds = seconds.isFinite ? Int((max(0, seconds) * 1_000_000).rounded()) : 0
    }

    func write(to line: inout [UInt8]) {
        line.append(contentsOf: String(microseconds / 1000).utf8)
        let fraction = microseconds % 1000
        line.append(UInt8(ascii: "."))
        line.append(UInt8(ascii: "0") + UInt8(fraction / 100))
        line.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
        line.append(UInt8(ascii: "0") + UInt8(fraction % 10))
    }
}
