import JSON
import SQLite

/// An amendment ("avenant"): a merge patch over the amendable parts of a
/// convention in force, applied when every party of the resulting text has signed.
public struct Amendment: Sendable {
    public let conventionID: String
    public let number: Int
    public let summary: String
    public let changes: JSONObject
    public var status: AmendmentStatus
    public var signatures: [(partnerID: String, signatory: String, signedAt: String)]
    public let createdAt: String
    public var appliedAt: String?

    public var json: JSONObject {
        [
            "number": .int(Int64(number)), "summary": .string(summary), "changes": .object(changes), "status": .string(status.rawValue),
            "signatures": .array(signatures.map { .object(["partner_id": .string($0.partnerID), "signatory": .string($0.signatory), "signed_at": .string($0.signedAt)]) }),
            "created_at": .string(createdAt), "applied_at": appliedAt.json,
        ]
    }

    init(conventionID: String, number: Int, summary: String, changes: JSONObject, createdAt: String) {
        self.conventionID = conventionID
        self.number = number
        self.summary = summary
        self.changes = changes
        self.status = .awaitingSignatures
        self.signatures = []
        self.createdAt = createdAt
    }

    init(conventionID: String, row: Row) throws(CorruptRecord) {
        let stored = try StoredRecord(documentIn: row, table: "amendments")
        self.conventionID = conventionID
        number = Int(try stored.int("number"))
        summary = try stored.string("summary")
        changes = try stored.object("changes")
        status = try stored.value("status")
        signatures = try stored.records("signatures").map { signature throws(CorruptRecord) in
            (try signature.string("partner_id"), try signature.string("signatory"), try signature.string("signed_at"))
        }
        createdAt = try stored.string("created_at")
        appliedAt = try stored.optionalString("applied_at")
    }

    /// The convention text this amendment leads to, validated (errors under `changes.`).
    func resultingText(of convention: Convention, at: Instant) throws -> Convention {
        let merged = JSON.object(convention.writableJSON).mergePatched(with: .object(changes)).objectValue ?? [:]
        let result = Result { () throws(RegistryError) -> Convention in try Convention(id: convention.id, fields: merged, base: convention, at: at) }
        switch result {
        case .success(let text):
            return text
        case .failure(.validation(let errors)):
            throw RegistryError.validation(errors.map { FieldError(field: "changes." + $0.field, message: $0.message) })
        case .failure(let other):
            throw other
        }
    }
}
