import JSON
import SQLite

/// The body of a convention or amendment signature (API.md §5, §12):
/// the party, who signs (a free-text `signatory` or a `person_id`), and
/// optionally the digest of the text the signer read.
struct SignatureRequest {
    let partnerID: String
    let signatory: String?
    let personID: String?
    let textSHA256: String?

    init(_ fields: JSONObject) throws(RegistryError) {
        var reader = FieldReader(fields, allowed: ["partner_id", "signatory", "person_id", "text_sha256"])
        let partnerID = reader.string("partner_id", required: true)
        let signatory = reader.string("signatory", maxLength: 300, trimmed: true)
        let personID = reader.string("person_id")
        let digest = reader.string("text_sha256")
        if let digest, !TextDigest.isWellFormed(digest) { reader.fail("text_sha256", "a SHA-256 digest as 64 lowercase hex digits") }
        if signatory != nil && personID != nil { reader.fail("signatory", "give either signatory or person_id, not both") }
        if signatory?.isEmpty == true { reader.fail("signatory", "must not be empty") }
        try reader.check()
        self.partnerID = partnerID!
        self.signatory = signatory
        self.personID = personID
        self.textSHA256 = digest
    }

    /// Refuses a signature without a person where the text requires one, and
    /// one that names nobody (422).
    func checkSigner(authorisedOnly: Bool) throws(RegistryError) {
        guard personID == nil else { return }
        if authorisedOnly {
            throw .invalid("person_id", "required: this convention accepts only signatures by a person entitled to sign")
        }
        if signatory == nil { throw .invalid("signatory", "required (or person_id)") }
    }

    /// Who signs: the person named, who must hold on `day` an active
    /// affiliation to the party with a signing role (422 otherwise), or the
    /// free-text signatory (`checkSigner` ran first).
    func signer(on day: String, db: Connection) throws -> (signatory: String, personID: String?) {
        guard let personID else { return (signatory ?? "", nil) }
        guard let row = try db.queryOne("SELECT document FROM people WHERE id = ?", [personID]) else {
            throw RegistryError.invalid("person_id", "no such person")
        }
        let person = try Person(row: row)
        guard person.maySign(for: partnerID, on: day) else {
            throw RegistryError.invalid("person_id", "not a legal representative or signatory of \(partnerID) on \(day)")
        }
        return (person.name, person.id)
    }

    /// A signer who read another text than the one being signed: 409.
    func checkText(_ digest: String) throws {
        if let textSHA256, textSHA256 != digest {
            throw RegistryError.conflict("The text has changed since it was read: text_sha256 is \(digest), not \(textSHA256).")
        }
    }

    /// Remembers who signed for whom, so the person cannot be deleted.
    func recordSigner(_ personID: String?, convention: String, amendment: Int, signedAt: String, db: Connection) throws {
        guard let personID else { return }
        try db.run("INSERT INTO person_signatures (person_id, convention_id, amendment_number, partner_id, signed_at) VALUES (?, ?, ?, ?, ?)",
                   [personID, convention, amendment, partnerID, signedAt])
    }
}
