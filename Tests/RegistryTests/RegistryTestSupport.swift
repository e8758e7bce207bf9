import Foundation
import JSON
import Registry
import SQLite
import XCTest

/// A registry over a fresh SQLite file in a temporary folder, with every
/// migration of the repository's `Migrations/` folder applied.
final class TestStore {
    static let migrationsFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Migrations").path

    let directory: URL
    let pool: DatabasePool
    let registry: Registry

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("entente-registry-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        pool = try DatabasePool(path: directory.appendingPathComponent("entente.sqlite").path)
        let applied = try pool.withWriter { try Registry.migrate($0, with: Migrator(directory: Self.migrationsFolder)) }
        guard !applied.isEmpty else { throw StoreFailure("no migration found in \(Self.migrationsFolder)") }
        registry = Registry(pool: pool)
    }

    deinit {
        pool.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// `SELECT count(*)` with a condition, straight from the file.
    func count(_ table: String, where condition: String = "1", _ arguments: [any SQLiteBindable] = []) throws -> Int {
        try pool.withReader { Int(try $0.queryOne("SELECT count(*) AS n FROM \(table) WHERE \(condition)", arguments)?.int("n") ?? -1) }
    }

    func change(at instant: Instant = .now(), request: String = "test") -> ChangeContext {
        ChangeContext(actor: "key_test", requestID: request, at: instant)
    }

    // MARK: - Fixtures through the registry

    @discardableResult
    func partner(_ name: String, country: String = "FR", at instant: Instant = .now()) throws -> Partner {
        try registry.createPartner(["name": .string(name), "kind": "institution", "country": .string(country)], change: change(at: instant))
    }

    /// A convention between two new partners, submitted and signed by both at `signedAt`.
    func conventionInForce(effectiveUntil: String, noticeDays: Int64?, signedAt: Instant) throws -> String {
        let suffix = UUID().uuidString.prefix(8)
        let a = try partner("Musée \(suffix)", at: signedAt)
        let b = try partner("Festival \(suffix)", at: signedAt)
        let project = try registry.createProject(["title": "Nuits des musées", "status": "active"], change: change(at: signedAt))
        var fields: JSONObject = [
            "project_id": .string(project.id), "title": "Convention", "effective_until": .string(effectiveUntil),
            "governance": ["voting": "equal"],
            "parties": [
                ["partner_id": .string(a.id), "contributions": [["kind": "financial", "description": "Budget", "value_cents": 3_000_000]]],
                ["partner_id": .string(b.id), "contributions": [["kind": "venue", "description": "Salle", "value_cents": 1_000_000]]],
            ],
        ]
        if let noticeDays { fields["notice_days"] = .int(noticeDays) }
        let convention = try registry.createConvention(fields, change: change(at: signedAt))
        let id = convention.convention.id
        _ = try registry.submitConvention(id, ifMatch: nil, change: change(at: signedAt))
        for party in [a.id, b.id] {
            _ = try registry.signConvention(id, fields: ["partner_id": .string(party), "signatory": "Signataire"], ifMatch: nil,
                                            actingFor: nil, change: change(at: signedAt))
        }
        let status = try registry.convention(id, scope: .everything).convention.status
        guard status == .inForce else { throw StoreFailure("convention is \(status), not in force") }
        return id
    }
}

struct StoreFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Results collected from several threads.
/// `@unchecked`: `values` is only touched while `lock` is held.
final class Collected<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Value] = []

    func append(_ value: Value) {
        lock.lock()
        values.append(value)
        lock.unlock()
    }

    var all: [Value] {
        lock.lock()
        defer { lock.unlock() }
        return values
    }
}

extension Instant {
    /// Noon UTC on a calendar date `YYYY-MM-DD`.
    static func noon(_ date: String) -> Instant {
        guard let day = CalendarDate.dayNumber(date) else { fatalError("bad date \(date)") }
        return Instant(epochSeconds: day * 86_400 + 12 * 3600)
    }
}

/// Runs `work(i)` for i in 0..<count, spread over `threads` real threads that
/// all start at the same moment; returns when every one has finished.
func runConcurrently(count: Int, threads: Int, _ work: @escaping @Sendable (Int) -> Void) {
    let start = DispatchSemaphore(value: 0)
    let finished = DispatchGroup()
    for t in 0..<threads {
        finished.enter()
        let thread = Thread {
            start.wait()
            var i = t
            while i < count {
                work(i)
                i += threads
            }
            finished.leave()
        }
        thread.start()
    }
    for _ in 0..<threads { start.signal() }
    finished.wait()
}
