#if canImport(Glibc)
import Glibc
#endif
import JSON
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

    /// Writes `{"time": …, "level": …, "msg": …, fields…}`; field values are
    /// strings, integers, doubles, booleans or nil (null). Strings are escaped
    /// by the `JSON` module's writer, the one every JSON text of the service uses.
    public func write(level: String = "info", _ message: String, _ fields: [(String, (any Sendable)?)] = []) {
        var line = "{\"time\":\"\(WallClock.timestamp(milliseconds: true))\",\"level\":\(quoted(level)),\"msg\":\(quoted(message))"
        for (key, value) in fields {
            line += "," + quoted(key) + ":"
            switch value {
            case nil: line += "null"
            case let v as String: line += quoted(v)
            case let v as Int: line += String(v)
            case let v as Double: line += v.isFinite ? String(v) : "null"
            case let v as Bool: line += v ? "true" : "false"
            case let v?: line += quoted(String(describing: v))
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

    private func quoted(_ text: String) -> String {
        JSON.string(text).serialized()
    }
}
