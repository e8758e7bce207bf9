import Foundation
import JSON
import Registry
import SQLite
import XCTest

/// Group commit (GroupCommit.swift): concurrent writes share transactions,
/// yet each request commits or rolls back on its own, with its audit entry.
final class GroupCommitTests: XCTestCase {
    /// 40 `createPartner` calls from 8 threads; 10 of them repeat an earlier
    /// name (some in another case or with spaces around it).
    func testConcurrentCreatesStoreEveryNonDuplicateAndRefuseEveryDuplicate() throws {
        let store = try TestStore()
        let registry = store.registry
        let distinct = 30
        // Request i names partner nameIndex(i); requests 30...39 repeat names 0, 3, 6, ..., 27.
        let nameIndex: @Sendable (Int) -> Int = { $0 < distinct ? $0 : ($0 - distinct) * 3 }
        let spelled: @Sendable (Int) -> String = { i in
            let base = "Partenaire \(nameIndex(i))"
            guard i >= distinct else { return base }
            return i.isMultiple(of: 2) ? "  " + base.uppercased() + " " : base
        }
        let results = Collected<(request: Int, result: Result<Partner, any Error>)>()
        runConcurrently(count: 40, threads: 8) { i in
            let result = Result {
                try registry.createPartner(["name": .string(spelled(i)), "kind": "association", "country": "FR"],
                                           change: ChangeContext(actor: "key_test", requestID: "req-\(i)"))
            }
            results.append((i, result))
        }

        let all = results.all
        XCTAssertEqual(all.count, 40)
        var winners: [Int: [Int]] = [:]   // name index → requests that succeeded
        var stored: [String: Int] = [:]   // partner id → request
        var duplicates = 0
        for (request, result) in all {
            switch result {
            case .success(let partner):
                winners[nameIndex(request), default: []].append(request)
                stored[partner.id] = request
            case .failure(let error):
                guard case RegistryError.duplicate = error else {
                    XCTFail("request \(request) failed with \(error), expected RegistryError.duplicate")
                    continue
                }
                duplicates += 1
            }
        }
        XCTAssertEqual(stored.count, distinct, "every distinct name is stored once")
        XCTAssertEqual(duplicates, 40 - distinct, "every repeated name is refused")
        for name in 0..<distinct {
            XCTAssertEqual(winners[name]?.count, 1, "partner \(name) should be stored by exactly one request, got \(winners[name] ?? [])")
        }

        XCTAssertEqual(try store.count("partners"), distinct)
        let audit = try store.pool.withReader { try $0.query("SELECT entity_id, request_id FROM audit WHERE action = 'partner.created'") }
        XCTAssertEqual(audit.count, distinct, "exactly one partner.created per stored partner")
        XCTAssertEqual(Set(audit.compactMap { $0.string("entity_id") }), Set(stored.keys))
        for row in audit {
            let id = row.string("entity_id") ?? ""
            XCTAssertEqual(row.string("request_id"), stored[id].map { "req-\($0)" }, "audit entry of \(id) names the request that created it")
        }
        XCTAssertEqual(try store.count("audit"), distinct, "failed requests leave no audit entry")
        XCTAssertEqual(try store.count("audit_partners"), distinct)
    }

    /// A request that fails after its partner row, audit entry and audit scope
    /// rows are written (a trigger refuses its outbox row) rolls back alone:
    /// none of its rows survive, and the requests batched with it commit.
    func testRequestFailingLateInItsWriteRollsBackAloneInsideABatch() throws {
        let store = try TestStore()
        let registry = store.registry
        _ = try registry.createWebhook(["url": "http://127.0.0.1:9/hook", "events": ["*"], "secret": "0123456789abcdef0123"],
                                       change: store.change())
        try store.pool.withWriter { db in
            try db.execute("""
                CREATE TRIGGER poison_outbox BEFORE INSERT ON webhook_outbox WHEN NEW.payload LIKE '%Poison%'
                BEGIN SELECT RAISE(ABORT, 'poisoned by the test'); END
                """)
        }
        let auditBefore = try store.count("audit")
        let outboxBefore = try store.count("webhook_outbox")

        let results = Collected<(request: Int, result: Result<Partner, any Error>)>()
        runConcurrently(count: 40, threads: 8) { i in
            let name = i % 5 == 0 ? "Poison \(i)" : "Partenaire \(i)"
            let result = Result {
                try registry.createPartner(["name": .string(name), "kind": "company"], change: ChangeContext(actor: "key_test", requestID: "req-\(i)"))
            }
            results.append((i, result))
        }

        var succeeded: Set<String> = []
        for (request, result) in results.all {
            switch result {
            case .success(let partner):
                XCTAssertNotEqual(request % 5, 0, "poisoned request \(request) should have failed")
                succeeded.insert(partner.id)
            case .failure(let error):
                XCTAssertEqual(request % 5, 0, "request \(request) should have succeeded, got \(error)")
                XCTAssertTrue((error as? SQLiteError)?.message.contains("poisoned by the test") ?? false, "unexpected error \(error)")
            }
        }
        XCTAssertEqual(succeeded.count, 32)
        XCTAssertEqual(try store.count("partners"), 32)
        XCTAssertEqual(try store.count("partners", where: "name LIKE 'Poison%'"), 0, "a failed request's partner row is rolled back")
        XCTAssertEqual(try store.count("audit") - auditBefore, 32, "a failed request's audit entry is rolled back")
        XCTAssertEqual(try store.count("audit", where: "changes LIKE '%Poison%'"), 0)
        XCTAssertEqual(try store.count("audit_partners"), 32, "a failed request's audit scope rows are rolled back")
        XCTAssertEqual(try store.count("webhook_outbox") - outboxBefore, 32)
        let outboxEntities = try store.pool.withReader { db in
            try db.query("SELECT a.entity_id FROM webhook_outbox o JOIN audit a ON a.id = o.event_id WHERE o.event_type = 'partner.created'")
                .compactMap { $0.string("entity_id") }
        }
        XCTAssertEqual(Set(outboxEntities), succeeded, "each stored partner has its event queued, and only those")
    }
}

/// The audit trail is append-only (triggers in the schema).
final class AuditAppendOnlyTests: XCTestCase {
    func testAuditRefusesUpdateAndDelete() throws {
        let store = try TestStore()
        let partner = try store.partner("Musée des Confluences")
        let entry = try XCTUnwrap(try store.pool.withReader { try $0.queryOne("SELECT id, actor, action FROM audit WHERE entity_id = ?", [partner.id]) })
        XCTAssertEqual(entry.string("action"), "partner.created")
        let id = try XCTUnwrap(entry.string("id"))

        func refused(_ sql: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
            do {
                try store.pool.withWriter { try $0.run(sql, [id]) }
                XCTFail("\(sql) was accepted", file: file, line: line)
            } catch let error as SQLiteError {
                XCTAssertTrue(error.message.contains(expected), "\(error)", file: file, line: line)
            } catch {
                XCTFail("expected a SQLiteError, got \(error)", file: file, line: line)
            }
        }
        refused("UPDATE audit SET actor = 'mallory' WHERE id = ?", "never changed")
        refused("UPDATE audit SET changes = '{}' WHERE id = ?", "never changed")
        refused("DELETE FROM audit WHERE id = ?", "never deleted")
        // Inside an explicit transaction as well.
        do {
            try store.pool.withWriter { db in try db.transaction(.immediate) { try db.run("DELETE FROM audit") } }
            XCTFail("DELETE FROM audit was accepted in a transaction")
        } catch let error as SQLiteError {
            XCTAssertTrue(error.message.contains("never deleted"), "\(error)")
        }

        XCTAssertEqual(try store.count("audit"), 1)
        let after = try XCTUnwrap(try store.pool.withReader { try $0.queryOne("SELECT actor FROM audit WHERE id = ?", [id]) })
        XCTAssertEqual(after.string("actor"), "key_test")
        // The writer connection is still usable after the refusals.
        XCTAssertNoThrow(try store.partner("Festival Lumière"))
        XCTAssertEqual(try store.count("audit"), 2)
    }
}
