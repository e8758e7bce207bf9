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
    public var signatures: [AmendmentSignature]
    /// The digest of the text applying this amendment produces (docs/signatures.md).
    public var textSHA256: String?
    public let createdAt: String
    public var appliedAt: String?

    /// The stored document (the `document` column of `amendments`).
    var document: JSONObject {
        [
            "number": .int(Int64(number)), "summary": .string(summary), "changes": .object(changes), "text_sha256": textSHA256.json,
            "status": .string(status.rawValue), "signatures": .array(signatures.map { .object($0.document) }),
            "created_at": .string(createdAt), "applied_at": appliedAt.json,
        ]
    }

    init(conventionID: String, number: Int, summary: String, changes: JSONObject, textSHA256: String, createdAt: String) {
        self.conventionID = conventionID
        self.number = number
        self.summary = summary
        self.changes = changes
        self.status = .awaitingSignatures
        self.signatures = []
        self.textSHA256 = textSHA256
        self.createdAt = createdAt
    }

    init(conventionID: String, row: Row) throws(CorruptRecord) {
        try self.init(conventionID: conventionID, stored: StoredRecord(documentIn: row, table: "amendments"))
    }

    init(conventionID: String, stored: StoredRecord) throws(CorruptRecord) {
        self.conventionID = conventionID
        number = Int(try stored.int("number"))
        summary = try stored.string("summary")
        changes = try stored.object("changes")
        status = try stored.value("status")
        signatures = try stored.records("signatures").map { signature throws(CorruptRecord) in try AmendmentSignature(stored: signature) }
        textSHA256 = try stored.optionalString("text_sha256")
        createdAt = try stored.string("created_at")
        appliedAt = try stored.optionalString("applied_at")
    }

    /// The convention text this amendment leads to, validated (errors under `changes.`).
    func resultingText(of convention: Convention, at: Instant) throws -> Convention {
        try Self.resultingText(of: convention, number: number, changes: changes, at: at)
    }

    /// The text `changes` (a merge patch over the amendable fields) makes of `convention`.
    static func resultingText(of convention: Convention, number: Int, changes: JSONObject, at: Instant) throws -> Convention {
        let merged = JSON.object(convention.writableJSON).mergePatched(with: .object(changes)).objectValue ?? [:]
        let seed = "\(convention.id)/amendment/\(number)"
        let result = Result { () throws(RegistryError) -> Convention in
            try Convention(id: convention.id, fields: merged, base: convention, at: at, idSeed: seed)
        }
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

/// A party's signature of an amendment.
public struct AmendmentSignature: Sendable {
    public let partnerID: String
    public let signatory: String
    public let personID: String?
    public let signedAt: String
    public let textSHA256: String?

    /// The stored form, inside the amendment's document.
    var document: JSONObject {
        ["partner_id": .string(partnerID), "signatory": .string(signatory), "person_id": personID.json,
         "signed_at": .string(signedAt), "text_sha256": textSHA256.json]
    }

    init(partnerID: String, signatory: String, personID: String?, signedAt: String, textSHA256: String) {
        self.partnerID = partnerID
        self.signatory = signatory
        self.personID = personID
        self.signedAt = signedAt
        self.textSHA256 = textSHA256
    }

    init(stored: StoredRecord) throws(CorruptRecord) {
        partnerID = try stored.string("partner_id")
        signatory = try stored.string("signatory")
        personID = try stored.optionalString("person_id")
        signedAt = try stored.string("signed_at")
        textSHA256 = try stored.optionalString("text_sha256")
    }
}
