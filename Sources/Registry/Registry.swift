import JSON
import SQLite

/// The registry: partners, projects, conventions, decisions, indicators and
/// their audit trail, stored in SQLite. Every write runs in one transaction
/// together with its audit entry, so a failed request changes nothing.
public final class Registry: Sendable {
    let pool: DatabasePool
    private let commits: GroupCommit
    /// Time spent reading and writing, for `/metrics`.
    public let timings = DatabaseTimings()

    public init(pool: DatabasePool) {
        self.pool = pool
        self.commits = GroupCommit(pool: pool)
    }

    func read<T>(_ body: (Connection) throws -> T) throws -> T {
        let started = ContinuousClock.now
        defer { timings.observe("read", seconds: Self.seconds(since: started)) }
        return try pool.read(body)
    }

    /// Runs `body` atomically (a savepoint in a group-committed transaction);
    /// its audit entries commit with it, and it returns once they are durable.
    func write<T>(_ change: ChangeContext, _ body: (Connection, AuditLog) throws -> T) throws -> T {
        let started = ContinuousClock.now
        defer { timings.observe("write", seconds: Self.seconds(since: started)) }
        return try commits.perform { db in try body(db, AuditLog(db: db, change: change)) }
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Whether the database answers (for `/readyz`).
    public func isReady() -> Bool {
        (try? read { db in try db.queryOne("SELECT 1") }) != nil
    }
}

/// Who makes a change and under which request: what the audit entry records.
public struct ChangeContext: Sendable {
    /// The API key id of the caller (`key_…`), or `system`.
    public let actor: String
    public let requestID: String
    public let at: Instant

    public init(actor: String, requestID: String, at: Instant = .now()) {
        self.actor = actor
        self.requestID = requestID
        self.at = at
    }
}

/// What a caller may see: everything, or the world of one partner (API.md §2).
public enum Scope: Sendable, Equatable {
    case everything
    case partner(String)

    var partnerID: String? {
        if case .partner(let id) = self { return id }
        return nil
    }
}

/// The version an `If-Match` names, checked inside the write's transaction.
func checkVersion(_ expected: Int?, current: Int) throws(RegistryError) {
    if let expected, expected != current { throw .preconditionFailed(currentVersion: current) }
}
