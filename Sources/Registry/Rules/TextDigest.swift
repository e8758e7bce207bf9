import Digest
import JSON

/// The digest that binds a signature to the text signed (API.md §12,
/// docs/signatures.md): SHA-256 of the RFC 8785 form of a convention's
/// agreed text. Anyone can recompute it from a revision as served.
public enum TextDigest {
    /// The members of the agreed text; everything else a convention carries
    /// (status, signatures, deliveries, revision, timestamps) changes without
    /// changing what the parties agreed to.
    static let textMembers = [
        "id", "project_id", "title", "reference", "currency", "effective_from", "effective_until", "notice_days",
        "authorised_signatories", "dispute_resolution", "governance",
    ]
    static let contributionMembers = ["id", "kind", "description", "value_cents", "instalments"]

    /// The canonical text of a convention or revision document: the listed
    /// members, each `null` when absent, parties and contributions in order.
    /// Texts written before a member existed read as its default:
    /// `authorised_signatories` false, `instalments` [].
    static func canonicalText(of document: JSONObject) -> JSONObject {
        var text = JSONObject()
        for key in textMembers { text[key] = document[key] ?? .null }
        if text["authorised_signatories"]?.isNull == true { text["authorised_signatories"] = .bool(false) }
        let parties = document["parties"]?.arrayValue ?? []
        text["parties"] = .array(parties.map { party in
            let contributions = party["contributions"]?.arrayValue ?? []
            return .object([
                "partner_id": party["partner_id"] ?? .null,
                "contributions": .array(contributions.map { contribution in
                    var member = JSONObject()
                    for key in contributionMembers { member[key] = contribution[key] ?? .null }
                    if member["instalments"]?.isNull == true { member["instalments"] = .array([]) }
                    return .object(member)
                }),
            ])
        })
        return text
    }

    /// The lowercase hex digest of a convention or revision document.
    public static func of(_ document: JSONObject) -> String {
        SHA256.hexHash(JSON.object(canonicalText(of: document)).canonicalSerialized())
    }

    /// The digest of a stored document's text; nil when it is not a JSON object.
    public static func of(documentText: String) -> String? {
        guard let object = (try? JSON.parse(documentText))?.objectValue else { return nil }
        return of(object)
    }

    /// Whether `text` has the form of a digest (64 lowercase hex digits).
    static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
