import JSON
import SQLite

/// Something a party owes the others under a convention (API.md §14): a
/// report, a deliverable, a payment, due on a date.
public struct Obligation: Sendable {
    public static let kinds = ["report", "deliverable", "payment", "other"]

    public let id: String
    public let conventionID: String
    public let partnerID: String
    public let title: String
    public let kind: String
    public let dueOn: String
    public let description: String?
    /// Stored state: pending or fulfilled (`status(on:)` reads overdue).
    public var fulfilled: Bool
    public var fulfilledAt: String?
    public var evidenceURL: String?
    public var note: String?
    public let createdAt: String
    public var updatedAt: String
    public var version: Int

    /// Pending, fulfilled, or overdue once `due_on` has passed unfulfilled.
    public func status(on today: String) -> ObligationStatus {
        fulfilled ? .fulfilled : dueOn < today ? .overdue : .pending
    }

    /// The stored document (the `document` column, the `changes` of
    /// `obligation.created`), with the stored status: pending or fulfilled.
    var document: JSONObject {
        [
            "id": .string(id), "convention_id": .string(conventionID), "partner_id": .string(partnerID), "title": .string(title),
            "kind": .string(kind), "due_on": .string(dueOn), "description": description.json,
            "status": .string((fulfilled ? ObligationStatus.fulfilled : ObligationStatus.pending).rawValue),
            "fulfilled_at": fulfilledAt.json, "evidence_url": evidenceURL.json, "note": note.json,
            "created_at": .string(createdAt), "updated_at": .string(updatedAt), "version": .int(Int64(version)),
        ]
    }

    /// Validates a creation body (`POST /v1/conventions/{id}/obligations`).
    init(id: String, conventionID: String, fields: JSONObject, at: Instant) throws(RegistryError) {
        var reader = FieldReader(fields, allowed: ["partner_id", "title", "kind", "due_on", "description"])
        let partnerID = reader.string("partner_id", required: true)
        let title = reader.string("title", required: true, maxLength: 300, trimmed: true)
        let kind = reader.oneOf("kind", Self.kinds, required: true)
        let dueOn = reader.date("due_on", required: true)
        let description = reader.string("description", maxLength: 10_000, freeText: true)
        try reader.check()
        self.id = id
        self.conventionID = conventionID
        self.partnerID = partnerID!
        self.title = title!
        self.kind = kind!
        self.dueOn = dueOn!
        self.description = description
        self.fulfilled = false
        self.createdAt = at.timestamp
        self.updatedAt = at.timestamp
        self.version = 1
    }

    init(row: Row) throws(CorruptRecord) {
        let stored = try StoredRecord(documentIn: row, table: "obligations")
        id = try stored.string("id")
        conventionID = try stored.string("convention_id")
        partnerID = try stored.string("partner_id")
        title = try stored.string("title")
        kind = try stored.string("kind")
        dueOn = try stored.string("due_on")
        description = try stored.optionalString("description")
        let status: ObligationStatus = try stored.value("status")
        fulfilled = status == .fulfilled
        fulfilledAt = try stored.optionalString("fulfilled_at")
        evidenceURL = try stored.optionalString("evidence_url")
        note = try stored.optionalString("note")
        createdAt = try stored.string("created_at")
        updatedAt = try stored.string("updated_at")
        version = Int(try stored.int("version"))
    }
}
