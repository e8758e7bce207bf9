import JSON

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

    init(conventionID: String, document: JSONObject) {
        self.conventionID = conventionID
        number = Int(document["number"]?.intValue ?? 0)
        summary = document["summary"]?.stringValue ?? ""
        changes = document["changes"]?.objectValue ?? [:]
        status = document["status"]?.stringValue.flatMap(AmendmentStatus.init(rawValue:)) ?? .awaitingSignatures
        signatures = (document["signatures"]?.arrayValue ?? []).compactMap { item in
            guard let o = item.objectValue, let p = o["partner_id"]?.stringValue else { return nil }
            return (p, o["signatory"]?.stringValue ?? "", o["signed_at"]?.stringValue ?? "")
        }
        createdAt = document["created_at"]?.stringValue ?? ""
        appliedAt = document["applied_at"]?.stringValue
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
