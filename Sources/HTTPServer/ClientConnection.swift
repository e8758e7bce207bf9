#if canImport(Glibc)
import Glibc
#endif

/// One client connection. Owned by the event loop and touched only on its thread;
/// handlers on worker threads reach it only through the loop's mailbox, by `id`.
final class ClientConnection {
    let id: UInt64
    let fd: Int32
    let clientAddress: String
    var parser: RequestParser

    /// Bytes waiting to be written, from `outputOffset` on.
    var output: [UInt8] = []
    var outputOffset = 0
    /// Edge-triggered readiness, remembered until a call hits EAGAIN.
    var readable = false
    var writable = true
    /// The peer hung up (or the socket failed): its end of stream is waiting to be read.
    var hungUp = false
    /// Its phase, the peer's side and its timer.
    var state: ConnectionState

    init(id: UInt64, fd: Int32, clientAddress: String, limits: RequestParser.Limits, state: ConnectionState) {
        self.id = id
        self.state = state
        self.fd = fd
        self.clientAddress = clientAddress
        self.parser = RequestParser(limits: limits)
    }

    var hasPendingOutput: Bool { outputOffset < output.count }

    /// Result of reading once from the socket.
    enum ReadResult { case bytes, wouldBlock, endOfStream, failed }

    /// Reads one batch into the parser through the loop's scratch buffer.
    func readOnce(into scratch: UnsafeMutableRawBufferPointer) -> ReadResult {
        while true {
            let count = recv(fd, scratch.baseAddress, scratch.count, 0)
            if count > 0 {
                parser.append(UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
                // A short read emptied the socket, and with edge-triggered epoll
                // new bytes bring a new event: reading again now would only get
                // EAGAIN, one wasted system call per request. After a hang-up the
                // end of stream must still be read, since no new event announces it.
                if count < scratch.count && !hungUp { readable = false }
                return .bytes
            }
            if count == 0 { return .endOfStream }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed
            }
        }
    }

    /// Writes as much pending output as the socket takes. False on a broken connection.
    func flush() -> Bool {
        while hasPendingOutput {
            let sent = output.withUnsafeBytes { bytes in
                send(fd, bytes.baseAddress! + outputOffset, bytes.count - outputOffset, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                outputOffset += sent
            } else if sent < 0 && errno == EINTR {
                continue
            } else if sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                writable = false
                return true
            } else {
                return false
            }
        }
        output.removeAll(keepingCapacity: output.capacity <= 64 * 1024)
        outputOffset = 0
        return true
    }

    func queue(_ bytes: [UInt8]) {
        if output.isEmpty {
            output = bytes
        } else {
            output.append(contentsOf: bytes)
        }
    }
}
