#if canImport(Glibc)
import Glibc
#endif

/// A socket call that failed, with its errno.
public struct LoopbackError: Error, CustomStringConvertible {
    public let operation: String
    public let errno: Int32
    public var description: String { "\(operation) failed: errno \(errno)" }
}

/// Raw TCP to a server on 127.0.0.1, as the tests that talk to real sockets
/// need it: connect, send every byte, read until the server closes.
public enum Loopback {
    /// A blocking socket connected to 127.0.0.1:`port`; the caller closes it.
    public static func connect(port: Int) throws(LoopbackError) -> Int32 {
        try socket(port: port, "connect") { fd, address, length in Glibc.connect(fd, address, length) }
    }

    /// A socket bound to 127.0.0.1:`port` (0: any free port), not yet listening.
    public static func bind(port: Int, reuseAddress: Bool = false) throws(LoopbackError) -> Int32 {
        try socket(port: port, "bind") { fd, address, length in
            if reuseAddress {
                var yes: Int32 = 1
                setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
            }
            return Glibc.bind(fd, address, length)
        }
    }

    /// The local port a socket is bound to.
    public static func localPort(_ fd: Int32) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A TCP socket on which `call` (connect or bind) ran with 127.0.0.1:`port`;
    /// closed and thrown when `call` failed.
    private static func socket(port: Int, _ operation: String,
                               _ call: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Int32) throws(LoopbackError) -> Int32 {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackError(operation: "socket", errno: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { call(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let error = LoopbackError(operation: operation, errno: errno)
            close(fd)
            throw error
        }
        return fd
    }

    /// Makes `recv` on `fd` give up after `seconds` (and `microseconds`).
    public static func setReceiveTimeout(_ fd: Int32, seconds: Int, microseconds: Int = 0) {
        var timeout = timeval(tv_sec: seconds, tv_usec: microseconds)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends all of `bytes`; false when the connection broke first.
    @discardableResult
    public static func send(_ bytes: [UInt8], to fd: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }

    /// One read of at most 64 KiB; empty at end of stream, on an error or a timeout.
    public static func receive(from fd: Int32) -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = recv(fd, &chunk, chunk.count, 0)
        return count > 0 ? Array(chunk[0..<count]) : []
    }

    /// Everything the server sends until it closes (or the receive timeout passes).
    public static func receiveUntilClosed(from fd: Int32) -> [UInt8] {
        var reply: [UInt8] = []
        while true {
            let chunk = receive(from: fd)
            if chunk.isEmpty { return reply }
            reply += chunk
        }
    }

    /// Connects, sends `request`, and reads the reply until the server closes.
    public static func exchange(port: Int, _ request: [UInt8], timeoutSeconds: Int) throws(LoopbackError) -> [UInt8] {
        let fd = try connect(port: port)
        defer { close(fd) }
        setReceiveTimeout(fd, seconds: timeoutSeconds)
        guard send(request, to: fd) else { throw LoopbackError(operation: "send", errno: errno) }
        return receiveUntilClosed(from: fd)
    }
}
