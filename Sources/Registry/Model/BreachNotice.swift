import JSON
import SQLite

/// A formal notice to a party in breach (API.md §14, DESCA): put it right
/// within `cure_days`, or default.
public struct BreachNotice: Sendable {
    public let id: String
    public let conventionID: String
    public let partnerID: String
    public let reason: String
    public let cureDays: Int
    public let issuedAt: String
    public let cureDeadline: String
    /// Stored state; `status(at:)` reads an open notice past its deadline as lapsed.
    public var storedStatus: BreachNoticeStatus
    public var curedAt: String?
    public let createdAt: String
    public var updatedAt: String
    public var version: Int

    /// Lapsed as soon as the deadline has passed with the notice still open.
    public func status(at now: Instant) -> BreachNoticeStatus {
        storedStatus == .open && cureDeadline < now.timestamp ? .lapsed : storedStatus
    }

    /// When the notice lapsed, as read at `now`: its deadline, once lapsed.
    public func lapsedAt(at now: Instant) -> String? {
        status(at: now) == .lapsed ? cureDeadline : nil
    }

    /// The stored document (the `document` column, the `changes` of
    /// `breach.notified`), with the stored status.
    var document: JSONObject {
        [
            "id": .string(id), "convention_id": .string(conventionID), "partner_id": .string(partnerID), "reason": .string(reason),
            "cure_days": .int(Int64(cureDays)), "issued_at": .string(issuedAt), "cure_deadline": .string(cureDeadline),
            "status": .string(storedStatus.rawValue), "cured_at": curedAt.json,
            "lapsed_at": storedStatus == .lapsed ? .string(cureDeadline) : .null,
            "created_at": .string(createdAt), "updated_at": .string(updatedAt), "version": .int(Int64(version)),
        ]
    }

    /// Validates a notice's body; the deadline is `cure_days` × 24 h after `at`.
    init(id: String, conventionID: String, partnerID: String, fields: JSONObject, at: Instant) throws(RegistryError) {
        var reader = FieldReader(fields, allowed: ["reason", "cure_days"])
        let reason = reader.string("reason", required: true, maxLength: 10_000, trimmed: true, freeText: true)
        let cureDays = reader.integer("cure_days", required: true, minimum: 0, maximum: 365)
        try reader.check()
        self.id = id
        self.conventionID = conventionID
        self.partnerID = partnerID
        self.reason = reason!
        self.cureDays = Int(cureDays!)
        self.issuedAt = at.timestamp
        self.cureDeadline = at.adding(days: Int(cureDays!)).timestamp
        self.storedStatus = .open
        self.createdAt = at.timestamp
        self.updatedAt = at.timestamp
        self.version = 1
    }

    init(row: Row) throws(CorruptRecord) {
        let stored = try StoredRecord(documentIn: row, table: "breach_notices")
        id = try stored.string("id")
        conventionID = try stored.string("convention_id")
        partnerID = try stored.string("partner_id")
        reason = try stored.string("reason")
        cureDays = Int(try stored.int("cure_days"))
        issuedAt = try stored.string("issued_at")
        cureDeadline = try stored.string("cure_deadline")
        storedStatus = try stored.value("status")
        curedAt = try stored.optionalString("cured_at")
        createdAt = try stored.string("created_at")
        updatedAt = try stored.string("updated_at")
        version = Int(try stored.int("version"))
    }
}
