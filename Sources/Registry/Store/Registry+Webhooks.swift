import JSON
import SQLite

extension Registry {
    public func createWebhook(_ fields: JSONObject, change: ChangeContext) throws -> Webhook {
        var reader = FieldReader(fields, allowed: ["url", "events", "secret"])
        let url = reader.string("url", required: true, maxLength: 2000)
        if let url, !Partner.isWebURL(url) { reader.fail("url", "an http(s) URL") }
        let events = reader.stringArray("events", required: true)
        if let events {
            if events.isEmpty { reader.fail("events", "at least one event type, or \"*\"") }
            for event in events where !(event == "*" || EventTypes.all.contains(event)) {
                reader.fail("events", "\(event) is not an event type")
            }
        }
        let secret = reader.string("secret", required: true, maxLength: 1000)
        // Its strength is the subscriber's choice (API.md sets no length); an empty key signs nothing.
        if let secret, secret.isEmpty { reader.fail("secret", "must not be empty") }
        try reader.check()
        return try write(change) { db, audit in
            let id = Identifier.make("whk")
            try db.run("INSERT INTO webhooks (id, url, events, secret, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                       [id, url!, JSON.array(Array(Set(events!)).sorted().map(JSON.string)).serialized(), secret!, change.at.timestamp, change.at.timestamp])
            let webhook = try fetchWebhook(id, db: db)
            try audit.record("webhook.created", entityType: "webhook", entityID: id, changes: .object(webhook.auditRecord), partners: [])
            return webhook
        }
    }

    public func webhooks(page: PageRequest) throws -> Page<Webhook> {
        try read { db in
            let rows = try ListQuery("SELECT * FROM webhooks").run(db, seqColumn: "seq", page: page)
            return page.page(try rows.map { row throws in (try row.seq(), try Webhook(row: row)) })
        }
    }

    public func webhook(_ id: String) throws -> Webhook {
        try read { db in try fetchWebhook(id, db: db) }
    }

    public func deleteWebhook(_ id: String, ifMatch: VersionPrecondition?, change: ChangeContext) throws {
        try write(change) { db, audit in
            let webhook = try fetchWebhook(id, db: db)
            try checkVersion(ifMatch, current: webhook.version)
            try db.run("DELETE FROM webhooks WHERE id = ?", [id])
            try audit.record("webhook.deleted", entityType: "webhook", entityID: id, changes: .object(webhook.auditRecord), partners: [])
        }
    }

    public func deliveries(webhook id: String, page: PageRequest) throws -> Page<Delivery> {
        try read { db in
            _ = try fetchWebhook(id, db: db)
            var query = ListQuery("SELECT * FROM webhook_deliveries")
            query.filter("webhook_id = ?", id)
            let rows = try query.run(db, seqColumn: "seq", page: page)
            return page.page(try rows.map { row throws in (try row.seq(), try Delivery(row: row)) })
        }
    }

    /// Outbox entries whose next attempt is due, oldest first.
    public func dueDeliveries(now: Double, limit: Int) throws -> [PendingDelivery] {
        try read { db in
            try db.query("""
                SELECT o.seq, o.webhook_id, w.url, w.secret, o.event_id, o.event_type, o.payload, o.attempts
                FROM webhook_outbox o JOIN webhooks w ON w.id = o.webhook_id
                WHERE o.status = ? AND o.next_attempt_at <= ? ORDER BY o.next_attempt_at, o.seq LIMIT ?
                """, [DeliveryStatus.pending.rawValue, now, limit]).map { row throws in try PendingDelivery(row: row) }
        }
    }

    /// Records one attempt and schedules the next (`nextAttemptAt` nil: done or given up).
    public func recordAttempt(_ delivery: PendingDelivery, at: Instant, statusCode: Int?, error: String?, durationMS: Int,
                              outcome: DeliveryStatus, nextAttemptAt: Double?) throws {
        try pool.withWriter { db in
            try db.transaction(.immediate) {
                try db.run("""
                    INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, attempt, at, status_code, error, duration_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [Identifier.make("dlv"), delivery.webhookID, delivery.eventID, delivery.eventType, delivery.attempts + 1,
                          at.timestamp, statusCode, error, durationMS])
                try db.run("UPDATE webhook_outbox SET attempts = attempts + 1, status = ?, next_attempt_at = ? WHERE seq = ?",
                           [outcome.rawValue, nextAttemptAt ?? 0, delivery.outboxSeq])
            }
        }
    }

    /// Fires `convention.expiring` once for each convention in force whose
    /// notice window (`notice_days` before `effective_until`) has opened.
    public func fireExpiringNotices() throws {
        let today = clock.now()
        let due = try read { db in
            try db.query("""
                SELECT id, document FROM conventions c
                WHERE status = ? AND effective_until IS NOT NULL AND effective_until >= ?
                  AND NOT EXISTS (SELECT 1 FROM convention_expiry_notices n WHERE n.convention_id = c.id)
                """, [ConventionStatus.inForce.rawValue, today.date]).map { row throws in try Convention(row: row) }
        }
        for convention in due {
            try write(ChangeContext(actor: "system", requestID: "expiry-check", at: today)) { db, audit in
                try noticeExpiryIfDue(convention, today: today, db: db, audit: audit)
            }
        }
    }

    /// Records `convention.expiring` when the convention's notice window is open
    /// and it has not fired yet (also called as a convention enters into force).
    func noticeExpiryIfDue(_ convention: Convention, today: Instant, db: Connection, audit: AuditLog) throws {
        guard convention.status == .inForce, let noticeDays = convention.noticeDays, let until = convention.effectiveUntil,
              let untilDay = CalendarDate.dayNumber(until), let todayNumber = CalendarDate.dayNumber(today.date),
              untilDay - Int(noticeDays) <= todayNumber, todayNumber <= untilDay,
              try db.queryOne("SELECT 1 FROM convention_expiry_notices WHERE convention_id = ?", [convention.id]) == nil
        else { return }
        try db.run("INSERT INTO convention_expiry_notices (convention_id, fired_at) VALUES (?, ?)", [convention.id, today.timestamp])
        try audit.record("convention.expiring", entityType: "convention", entityID: convention.id,
                         changes: ["effective_until": .string(until), "notice_days": .int(noticeDays)], partners: convention.partnerIDs)
    }

    private func fetchWebhook(_ id: String, db: Connection) throws -> Webhook {
        guard let row = try db.queryOne("SELECT * FROM webhooks WHERE id = ?", [id]) else { throw RegistryError.notFound("No webhook \(id).") }
        return try Webhook(row: row)
    }
}
