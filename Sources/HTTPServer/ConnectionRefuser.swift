#if canImport(Glibc)
import Glibc
#endif

/// Turns connections away politely at accept — a 503 problem document, then
/// close — and keeps the tally the log reports, at most once a second.
///
/// When the process is out of descriptors (EMFILE/ENFILE) a pending
/// connection cannot even be accepted to be refused, and the listener stays
/// readable: accepting in a loop would spin. So the refuser keeps one spare
/// descriptor open (on `/dev/null`): it closes it, accepts the waiting
/// client, answers and closes it, and takes the spare back. When the spare
/// cannot be had either, the loop stops listening for a moment instead.
/// Used only on the event loop's thread.
final class ConnectionRefuser {
    private var spareFD: Int32
    private var tally: [ConnectionRefusal: Int] = [:]
    private var lastReport: UInt64 = 0
    private let observer: any HTTPServerObserver

    init(observer: any HTTPServerObserver) {
        self.observer = observer
        spareFD = open("/dev/null", O_RDONLY | O_CLOEXEC)
    }

    deinit {
        if spareFD >= 0 { close(spareFD) }
    }

    /// What became of a client waiting while descriptors ran out.
    enum Outcome { case refused, nonePending, noSpare }

    /// Frees the spare descriptor to accept and refuse one waiting client.
    func refuseWithSpareDescriptor(listener: Int32) -> Outcome {
        guard spareFD >= 0 else {
            spareFD = open("/dev/null", O_RDONLY | O_CLOEXEC)
            return .noSpare
        }
        close(spareFD)
        spareFD = -1
        defer { spareFD = open("/dev/null", O_RDONLY | O_CLOEXEC) }
        guard let accepted = try? Socket.accept(listener) else { return .nonePending }
        refuse(accepted.fd, .outOfDescriptors)
        return .refused
    }

    /// Answers 503 on a connection just accepted, then closes it.
    func refuse(_ fd: Int32, _ reason: ConnectionRefusal) {
        let detail = reason == .connectionLimit
            ? "The server has as many connections open as it takes; try again shortly."
            : "The server has run out of file descriptors; try again shortly."
        let response = HTTPResponse.problem(status: 503, code: "unavailable", detail: detail, headers: HTTPHeaders([("Retry-After", "1")]))
        let bytes = ResponseSerializer.serialize(response, requestID: RequestID.generate(), keepAlive: false, headOnly: false)
        // A fresh socket's send buffer takes a few hundred bytes at once; what does not fit is dropped.
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        close(fd)
        tally[reason, default: 0] += 1
    }

    /// Tells the observer what was refused since the last report, once a second at most.
    func report(now: UInt64) {
        guard !tally.isEmpty, now &- lastReport >= 1_000_000_000 else { return }
        lastReport = now
        for (reason, count) in tally.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            observer.connectionsRefused(reason, count: count)
        }
        tally.removeAll()
    }
}
