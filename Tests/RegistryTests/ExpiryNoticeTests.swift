import JSON
import Registry
import SQLite
import XCTest

/// `convention.expiring` (API.md §5, §11): fires `notice_days` before
/// `effective_until`, once per convention.
final class ExpiryNoticeTests: XCTestCase {
    let today = Instant.noon("2031-03-01")

    private func notices(_ store: TestStore, _ convention: String) throws -> Int {
        try store.count("audit", where: "action = 'convention.expiring' AND entity_id = ?", [convention])
    }

    func testFiresOnceWhenTheNoticeWindowOpens() throws {
        let store = try TestStore()
        let signed = today.adding(days: -100)
        let until = today.adding(days: 10).date
        let hook = try store.registry.createWebhook(["url": "http://127.0.0.1:9/hook", "events": ["convention.expiring"],
                                                     "secret": "0123456789abcdef0123"], change: store.change(at: signed))
        let thirty = try store.conventionInForce(effectiveUntil: until, noticeDays: 30, signedAt: signed)
        let five = try store.conventionInForce(effectiveUntil: until, noticeDays: 5, signedAt: signed)
        let none = try store.conventionInForce(effectiveUntil: until, noticeDays: nil, signedAt: signed)
        let expired = try store.conventionInForce(effectiveUntil: today.adding(days: -1).date, noticeDays: 30, signedAt: signed)
        let lastDay = try store.conventionInForce(effectiveUntil: today.date, noticeDays: 0, signedAt: signed)
        for id in [thirty, five, none, expired, lastDay] {
            XCTAssertEqual(try notices(store, id), 0, "nothing fires while the window is closed (at signature)")
        }

        store.registry.clock.set(today)
        try store.registry.fireExpiringNotices()
        XCTAssertEqual(try notices(store, thirty), 1, "notice_days 30, ends in 10 days: fires")
        XCTAssertEqual(try notices(store, five), 0, "notice_days 5, ends in 10 days: not yet")
        XCTAssertEqual(try notices(store, none), 0, "no notice_days: never")
        XCTAssertEqual(try notices(store, expired), 0, "already expired: never")
        XCTAssertEqual(try notices(store, lastDay), 1, "notice_days 0 on its last day: fires")

        store.registry.clock.set(today)
        try store.registry.fireExpiringNotices()
        store.registry.clock.set(today.adding(days: 1))
        try store.registry.fireExpiringNotices()
        XCTAssertEqual(try notices(store, thirty), 1, "fires once per convention")
        XCTAssertEqual(try notices(store, lastDay), 1)

        store.registry.clock.set(today.adding(days: 4))
        try store.registry.fireExpiringNotices()
        XCTAssertEqual(try notices(store, five), 0, "6 days before the end, a 5-day notice has not opened")
        store.registry.clock.set(today.adding(days: 5))
        try store.registry.fireExpiringNotices()
        XCTAssertEqual(try notices(store, five), 1, "5 days before the end it fires")
        store.registry.clock.set(today.adding(days: 9))
        try store.registry.fireExpiringNotices()
        XCTAssertEqual(try notices(store, five), 1)
        XCTAssertEqual(try notices(store, thirty), 1)
        XCTAssertEqual(try notices(store, none), 0)
        XCTAssertEqual(try notices(store, expired), 0)

        let entry = try XCTUnwrap(try store.pool.withReader {
            try $0.queryOne("SELECT * FROM audit WHERE action = 'convention.expiring' AND entity_id = ?", [thirty])
        })
        XCTAssertEqual(entry.string("entity_type"), "convention")
        XCTAssertEqual(entry.string("actor"), "system")
        XCTAssertEqual(entry.string("at"), today.timestamp)
        let changes = try JSON.parse(entry.string("changes") ?? "")
        XCTAssertEqual(changes["effective_until"]?.stringValue, until)
        XCTAssertEqual(changes["notice_days"]?.intValue, 30)
        XCTAssertEqual(try store.count("audit_partners", where: "audit_seq = ?", [entry.int("seq") ?? -1]), 2,
                       "both parties' keys may see the notice")
        XCTAssertEqual(try store.count("webhook_outbox", where: "webhook_id = ? AND event_type = 'convention.expiring'", [hook.id]), 3,
                       "each notice is queued for the subscribed webhook")
    }

    /// A convention entering into force inside its window fires at once, and only then.
    func testFiresAtOnceWhenEnteringIntoForceInsideTheWindow() throws {
        let store = try TestStore()
        let id = try store.conventionInForce(effectiveUntil: today.adding(days: 10).date, noticeDays: 30, signedAt: today)
        XCTAssertEqual(try notices(store, id), 1)
        store.registry.clock.set(today)
        try store.registry.fireExpiringNotices()
        store.registry.clock.set(today.adding(days: 3))
        try store.registry.fireExpiringNotices()
        XCTAssertEqual(try notices(store, id), 1)
    }

    func testTerminatedConventionDoesNotFire() throws {
        let store = try TestStore()
        let signed = today.adding(days: -100)
        let id = try store.conventionInForce(effectiveUntil: today.adding(days: 10).date, noticeDays: 30, signedAt: signed)
        _ = try store.registry.terminateConvention(id, fields: ["reason": "Fin anticipée", "effective_on": .string(signed.adding(days: 1).date)],
                                                   ifMatch: nil, change: store.change(at: signed.adding(days: 1)))
        store.registry.clock.set(today)
        try store.registry.fireExpiringNotices()
        XCTAssertEqual(try notices(store, id), 0)
    }
}
