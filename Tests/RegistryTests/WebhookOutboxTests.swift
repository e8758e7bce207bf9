import JSON
import Registry
import SQLite
import XCTest

/// The webhook outbox (API.md §11): a matching event is queued in the same
/// transaction as the change it announces.
final class WebhookOutboxTests: XCTestCase {
    private func hook(_ store: TestStore, _ events: [JSON]) throws -> String {
        try store.registry.createWebhook(["url": "https://intranet.example/hooks", "events": .array(events), "secret": "s3cr3t-s3cr3t-s3cr3t"],
                                         change: store.change()).id
    }

    private func queued(_ store: TestStore, _ webhook: String, _ type: String) throws -> Int {
        try store.count("webhook_outbox", where: "webhook_id = ? AND event_type = ?", [webhook, type])
    }

    func testMatchingWebhooksGetAnOutboxRowWithTheChange() throws {
        let store = try TestStore()
        let partnerHook = try hook(store, ["partner.created"])
        let otherHook = try hook(store, ["project.created", "convention.in_force"])
        let allHook = try hook(store, ["*"])

        let at = Instant.noon("2030-06-15")
        let partner = try store.partner("Musée des Confluences", at: at)
        XCTAssertEqual(try queued(store, partnerHook, "partner.created"), 1)
        XCTAssertEqual(try queued(store, otherHook, "partner.created"), 0, "a webhook subscribed to other types gets nothing")
        XCTAssertEqual(try queued(store, allHook, "partner.created"), 1, "* gets everything")
        XCTAssertEqual(try store.count("webhook_outbox", where: "webhook_id = ?", [otherHook]), 0)

        let audit = try XCTUnwrap(try store.pool.withReader { try $0.queryOne("SELECT id FROM audit WHERE action = 'partner.created'") })
        let row = try XCTUnwrap(try store.pool.withReader {
            try $0.queryOne("SELECT * FROM webhook_outbox WHERE webhook_id = ? AND event_type = 'partner.created'", [partnerHook])
        })
        XCTAssertEqual(row.string("event_id"), audit.string("id"), "the event is the audit entry")
        XCTAssertEqual(row.string("status"), "pending")
        XCTAssertEqual(row.int("attempts"), 0)
        XCTAssertEqual(row.double("next_attempt_at"), Double(at.epochSeconds), "due at once")
        let payload = try JSON.parse(row.string("payload") ?? "")
        XCTAssertEqual(payload["id"]?.stringValue, audit.string("id"))
        XCTAssertEqual(payload["type"]?.stringValue, "partner.created")
        XCTAssertEqual(payload["at"]?.stringValue, at.timestamp)
        XCTAssertEqual(payload["data"]?["entity_id"]?.stringValue, partner.id)
        XCTAssertEqual(payload["data"]?["changes"]?["name"]?.stringValue, "Musée des Confluences")
        XCTAssertEqual(payload.objectValue.map { Set($0.keys) }, ["id", "type", "at", "data"])

        _ = try store.registry.createProject(["title": "Nuits des musées"], change: store.change())
        XCTAssertEqual(try queued(store, otherHook, "project.created"), 1)
        XCTAssertEqual(try queued(store, partnerHook, "project.created"), 0)
        XCTAssertEqual(try queued(store, allHook, "project.created"), 1)
        XCTAssertEqual(try store.count("webhook_outbox", where: "webhook_id = ?", [partnerHook]), 1)
    }

    func testFailedWriteQueuesNothing() throws {
        let store = try TestStore()
        let partnerHook = try hook(store, ["partner.created"])
        let allHook = try hook(store, ["*"])
        try store.partner("Festival Lumière")
        let outbox = try store.count("webhook_outbox")
        let audit = try store.count("audit")

        XCTAssertThrowsError(try store.partner(" festival lumière ")) { error in
            guard case RegistryError.duplicate = error else { return XCTFail("expected duplicate, got \(error)") }
        }
        XCTAssertThrowsError(try store.registry.createPartner(["name": "", "kind": "artist"], change: store.change())) { error in
            guard case RegistryError.validation = error else { return XCTFail("expected validation, got \(error)") }
        }
        XCTAssertEqual(try store.count("webhook_outbox"), outbox, "a refused write queues no event")
        XCTAssertEqual(try store.count("audit"), audit)
        XCTAssertEqual(try queued(store, partnerHook, "partner.created"), 1)
        XCTAssertEqual(try queued(store, allHook, "partner.created"), 1)
    }

    func testDeletedWebhookGetsNothingMore() throws {
        let store = try TestStore()
        let partnerHook = try hook(store, ["partner.created"])
        try store.partner("Un")
        try store.registry.deleteWebhook(partnerHook, ifMatch: nil, change: store.change())
        try store.partner("Deux")
        XCTAssertEqual(try queued(store, partnerHook, "partner.created"), 0, "its queue goes with it (ON DELETE CASCADE)")
        XCTAssertEqual(try store.count("webhook_outbox"), 0)
        XCTAssertThrowsError(try store.registry.webhook(partnerHook)) { error in
            guard case RegistryError.notFound = error else { return XCTFail("expected notFound, got \(error)") }
        }
    }

    /// `dueDeliveries` and `recordAttempt`: what the deliverer builds on.
    func testDueDeliveriesFollowRecordedAttempts() throws {
        let store = try TestStore()
        let partnerHook = try hook(store, ["partner.created"])
        let at = Instant.noon("2030-06-15")
        let now = Double(at.epochSeconds)
        try store.partner("Un", at: at)
        try store.partner("Deux", at: at.adding(days: 1))

        XCTAssertEqual(try store.registry.dueDeliveries(now: now - 1, limit: 10).count, 0, "not due before the event")
        XCTAssertEqual(try store.registry.dueDeliveries(now: now, limit: 10).count, 1)
        let due = try store.registry.dueDeliveries(now: now + 2 * 86_400, limit: 10)
        XCTAssertEqual(due.count, 2)
        XCTAssertEqual(try store.registry.dueDeliveries(now: now + 2 * 86_400, limit: 1).count, 1, "limit")
        let first = due[0]
        XCTAssertEqual(first.webhookID, partnerHook)
        XCTAssertEqual(first.url, "https://intranet.example/hooks")
        XCTAssertEqual(first.secret, "s3cr3t-s3cr3t-s3cr3t")
        XCTAssertEqual(first.attempts, 0)
        XCTAssertEqual(try JSON.parse(first.payload)["data"]?["changes"]?["name"]?.stringValue, "Un", "oldest first")

        try store.registry.recordAttempt(first, at: .now(), statusCode: 500, error: "HTTP 500", durationMS: 12, outcome: .pending, nextAttemptAt: now + 3 * 86_400)
        let later = try store.registry.dueDeliveries(now: now + 2 * 86_400, limit: 10)
        XCTAssertEqual(later.map(\.outboxSeq), [due[1].outboxSeq], "a retry is not due before its time")
        let retry = try XCTUnwrap(try store.registry.dueDeliveries(now: now + 3 * 86_400, limit: 10).first { $0.outboxSeq == first.outboxSeq })
        XCTAssertEqual(retry.attempts, 1)
        try store.registry.recordAttempt(retry, at: .now(), statusCode: 200, error: nil, durationMS: 3, outcome: .delivered, nextAttemptAt: nil)
        try store.registry.recordAttempt(due[1], at: .now(), statusCode: nil, error: "refused", durationMS: 1, outcome: .failed, nextAttemptAt: nil)
        XCTAssertEqual(try store.registry.dueDeliveries(now: now + 365 * 86_400, limit: 10).count, 0, "delivered and failed are never due again")

        let deliveries = try store.registry.deliveries(webhook: partnerHook, page: PageRequest()).items
        XCTAssertEqual(deliveries.map(\.attempt), [1, 2, 1])
        XCTAssertEqual(deliveries.map(\.statusCode), [500, 200, nil])
        XCTAssertEqual(deliveries.map(\.error), ["HTTP 500", nil, "refused"])
        XCTAssertEqual(try store.count("webhook_outbox", where: "status = 'delivered'"), 1)
        XCTAssertEqual(try store.count("webhook_outbox", where: "status = 'failed'"), 1)
    }
}
