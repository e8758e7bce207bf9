import Digest
import HTTPServer
import Registry
import Locks
import Timekeeping

/// Resolves `Authorization: Bearer <token>` to a principal. Tokens are hashed
/// (SHA-256) before anything else touches them and are never logged. Known
/// hashes are cached in memory; revocation through the API clears the cache,
/// so it takes effect on the next request.
final class Authenticator: Sendable {
    private let registry: Registry
    /// Known token hashes, and a generation that `invalidate()` bumps: a lookup
    /// that started before an invalidation must not put its (stale) answer back.
    private let cache = Locked<(generation: Int, principals: [[UInt8]: Principal])>((0, [:]))
    let limiter: FailedAuthLimiter

    init(registry: Registry, limiter: FailedAuthLimiter = FailedAuthLimiter()) {
        self.registry = registry
        self.limiter = limiter
    }

    /// The principal, or the 401/429 answer.
    func authenticate(_ request: HTTPRequest) throws(APIError) -> Principal {
        guard let token = Self.bearerToken(request.headers["Authorization"]) else { throw .unauthorized }
        let hash = SHA256.hash(Array(token.utf8))
        let (generation, cached) = cache.withLock { ($0.generation, $0.principals[hash]) }
        if let cached { return cached }
        let found: Principal?
        do {
            found = try registry.principal(forTokenHash: hash)
        } catch {
            throw APIError(status: 503, code: "unavailable", detail: "Keys cannot be checked right now; try again.")
        }
        if let principal = found {
            cache.withLock { if $0.generation == generation { $0.principals[hash] = principal } }
            return principal
        }
        // Only wrong tokens count (a missing one guesses nothing), and only they
        // are refused: a client with a valid token is never held back by others'
        // guessing from its address.
        if let retryAfter = limiter.recordFailure(from: request.clientAddress) {
            throw APIError(status: 429, code: "too_many_requests", detail: "Too many failed authentications; try again later.",
                           headers: HTTPHeaders([("Retry-After", String(retryAfter))]))
        }
        throw .unauthorized
    }

    /// Forgets cached principals (after a key is revoked).
    func invalidate() {
        cache.withLock {
            $0.generation += 1
            $0.principals.removeAll()
        }
    }

    static func bearerToken(_ header: String?) -> String? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        let token = header.dropFirst(7).trimmingOWS()
        return token.isEmpty ? nil : String(token)
    }
}

/// Counts failed authentications per client address in a sliding one-minute
/// window: from the 21st failure on, the address is answered 429 until the
/// window has passed.
final class FailedAuthLimiter: Sendable {
    let maxFailures: Int
    let windowSeconds: Double
    private let failures = Locked<[String: [Double]]>([:])

    init(maxFailures: Int = 20, windowSeconds: Double = 60) {
        self.maxFailures = maxFailures
        self.windowSeconds = windowSeconds
    }

    /// Records a failure; returns seconds to wait when the address is over the limit.
    func recordFailure(from address: String, now: Double = FailedAuthLimiter.now()) -> Int? {
        failures.withLock { table in
            var times = table[address, default: []].filter { now - $0 < windowSeconds }
            if times.count >= maxFailures {
                table[address] = times
                return max(1, Int((times[0] + windowSeconds - now).rounded(.up)))
            }
            times.append(now)
            table[address] = times
            if table.count > 10_000 {
                // Forget addresses whose window has passed, so the table stays small.
                table = table.filter { now - ($0.value.last ?? 0) < windowSeconds }
            }
            return nil
        }
    }

    /// Seconds on the monotonic clock.
    static func now() -> Double {
        Double(MonotonicClock.now()) / 1e9
    }
}
