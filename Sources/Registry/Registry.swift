import JSON
import SQLite
import Synchronization
import Timekeeping

/// The registry: partners, projects, conventions, decisions, indicators and
/// their audit trail, stored in SQLite. Every write runs in one transaction
/// together with its audit entry, so a failed request changes nothing.
public final class Registry: Sendable {
    let pool: DatabasePool
    private let commits: GroupCommit
    /// The time every rule is judged by (API.md's "today" and "now").
    public let clock: RegistryClock
    /// Time spent reading and writing, for `/metrics`.
    public let timings = DatabaseTimings()
    /// Set when a write failed because of the storage (full disk, read-only
    /// file…), cleared by the next write that commits: `/readyz` answers 503
    /// meanwhile, and probes with a write of its own until one commits.
    private let writesFailing = Atomic<Bool>(false)

    public init(pool: DatabasePool, clock: RegistryClock = RegistryClock()) {
        self.pool = pool
        self.clock = clock
        self.commits = GroupCommit(pool: pool)
    }

    func read<T>(_ body: (Connection) throws -> T) throws -> T {
        let started = MonotonicClock.now()
        defer { timings.observe("read", seconds: MonotonicClock.seconds(since: started)) }
        do {
            return try pool.withReader(body)
        } catch let error as SQLiteError where error.storageFault != nil {
            throw RegistryError(storageFault: error)
        }
    }

    /// Runs `body` atomically (a savepoint in a group-committed transaction);
    /// its audit entries commit with it, and it returns once they are durable.
    func write<T>(_ change: ChangeContext, _ body: (Connection, AuditLog) throws -> T) throws -> T {
        let started = MonotonicClock.now()
        defer { timings.observe("write", seconds: MonotonicClock.seconds(since: started)) }
        do {
            let result = try commits.perform { db in try body(db, AuditLog(db: db, change: change)) }
            writesFailing.store(false, ordering: .relaxed)
            return result
        } catch let error as SQLiteError where error.storageFault != nil {
            writesFailing.store(true, ordering: .relaxed)
            throw RegistryError(storageFault: error)
        }
    }

    /// Whether the database answers reads and, after a write failed for want
    /// of storage, whether writes commit again (for `/readyz`).
    public func isReady() -> Bool {
        guard (try? read({ db in try db.queryOne("SELECT 1") })) != nil else { return false }
        guard writesFailing.load(ordering: .relaxed) else { return true }
        let probe = ChangeContext(actor: "system", requestID: "readyz", at: clock.now())
        return (try? write(probe) { db, _ in
            try db.run("INSERT INTO readiness_probe (id, checked_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
                           [probe.at.timestamp])
        }) != nil
    }
}

extension RegistryError {
    init(storageFault error: SQLiteError) {
        self = .storageUnavailable(reason: error.storageFault ?? "storage failure", underlying: String(describing: error))
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

    /// The scope of a caller acting for `partnerID` (a partner key), or of one acting for nobody in particular.
    init(actingFor partnerID: String?) {
        self = partnerID.map(Scope.partner) ?? .everything
    }

    var partnerID: String? {
        if case .partner(let id) = self { return id }
        return nil
    }
}

/// Whether the resource is at a version `If-Match` names, checked inside the write's transaction.
func checkVersion(_ expected: VersionPrecondition?, current: Int) throws(RegistryError) {
    if let expected, !expected.versions.contains(current) { throw .preconditionFailed(currentVersion: current) }
}

/// The versions an `If-Match` names: the write goes ahead when the resource
/// is at any of them (RFC 9110 §13.1.1; `*` and an absent header are no precondition).
public struct VersionPrecondition: Sendable, ExpressibleByIntegerLiteral {
    public let versions: [Int]

    public init(versions: [Int]) {
        self.versions = versions
    }

    public init(integerLiteral version: Int) {
        versions = [version]
    }
}
