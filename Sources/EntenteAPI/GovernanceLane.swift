import HTTPServer
import Registry
import Locks

/// Where power-index computations run: threads of their own and a bounded
/// queue, apart from the request workers, so that heavy simulations never
/// hold the workers that answer `/healthz` and ordinary reads.
///
/// A full queue is answered 503 at once; a partner key may have only
/// `perPartnerKey` computations queued or running (429 past that), so one
/// partner cannot fill the queue for the others.
final class GovernanceLane: Sendable {
    static let threads = 1
    static let capacity = 32
    static let perPartnerKey = 2

    private let pool = WorkerPool(threads: threads, name: "entente-governance", capacity: capacity)
    private let inFlightByKey = Locked<[String: Int]>([:])

    deinit {
        pool.stop()
    }

    /// Runs `work` in the lane, or answers at once why it cannot.
    func run(for principal: Principal, _ work: @escaping @Sendable () -> HTTPResponse, completion: @escaping @Sendable (HTTPResponse) -> Void) {
        let limited = principal.role == .partner
        if limited {
            let admitted = inFlightByKey.withLock { counts in
                guard counts[principal.keyID, default: 0] < Self.perPartnerKey else { return false }
                counts[principal.keyID, default: 0] += 1
                return true
            }
            guard admitted else {
                return completion(APIError(status: 429, code: "too_many_requests",
                                           detail: "This key already has \(Self.perPartnerKey) computations under way; wait for them.",
                                           headers: HTTPHeaders([("Retry-After", "1")])).response)
            }
        }
        let release: @Sendable () -> Void = { [self] in
            guard limited else { return }
            inFlightByKey.withLock { counts in
                counts[principal.keyID, default: 1] -= 1
                if counts[principal.keyID] == 0 { counts[principal.keyID] = nil }
            }
        }
        let queued = pool.submit {
            let response = work()
            release()
            completion(response)
        }
        if !queued {
            release()
            completion(APIError(status: 503, code: "unavailable", detail: "Too many computations are waiting; try again shortly.",
                                headers: HTTPHeaders([("Retry-After", "5")])).response)
        }
    }
}
