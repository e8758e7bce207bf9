import JSON
import Registry

/// The wire shape of an amendment of a convention, with its signatures.
enum AmendmentPresenter {
    static func json(_ amendment: Amendment) -> JSONObject {
        [
            "number": .int(Int64(amendment.number)), "summary": .string(amendment.summary), "changes": .object(amendment.changes),
            "text_sha256": amendment.textSHA256.json, "status": .string(amendment.status.rawValue),
            "signatures": .array(amendment.signatures.map { signature in
                .object(["partner_id": .string(signature.partnerID), "signatory": .string(signature.signatory), "person_id": signature.personID.json,
                         "signed_at": .string(signature.signedAt), "text_sha256": signature.textSHA256.json])
            }),
            "created_at": .string(amendment.createdAt), "applied_at": amendment.appliedAt.json,
        ]
    }
}
