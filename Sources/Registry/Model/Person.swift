import JSON
import SQLite

/// A person (API.md §12): a representative, signatory, delegate, contact or
/// mediator, affiliated to one or more partners.
public struct Person: Sendable {
    public static let roles = ["legal_representative", "signatory", "delegate", "contact", "mediator"]
    /// The roles that may sign for a partner.
    static let signingRoles: Set<String> = ["legal_representative", "signatory"]
    static let writableFields = ["name", "email", "phone", "languages", "affiliations"]

    public let id: String
    public var name: String
    public var email: String?
    public var phone: String?
    public var languages: [String]
    public var affiliations: [Affiliation]
    public var createdAt: String
    public var updatedAt: String
    public var version: Int

    /// The stored document (the `document` column of `people`); its writable
    /// members are the base a merge patch applies to.
    var document: JSONObject {
        [
            "id": .string(id), "name": .string(name), "email": email.json, "phone": phone.json,
            "languages": .array(languages.map(JSON.string)), "affiliations": .array(affiliations.map { .object($0.document) }),
            "created_at": .string(createdAt), "updated_at": .string(updatedAt), "version": .int(Int64(version)),
        ]
    }

    /// The writable fields only (the base a merge patch applies to).
    var writableJSON: JSONObject {
        JSONObject(document.filter { Self.writableFields.contains($0.key) }.map { ($0.key, $0.value) })
    }

    /// The partners this person is affiliated to, at any date.
    var partnerIDs: [String] { Array(Set(affiliations.map(\.partnerID))).sorted() }

    /// Whether the person may sign for `partnerID` on `day`: an affiliation
    /// active that day with a signing role.
    func maySign(for partnerID: String, on day: String) -> Bool {
        affiliations.contains { $0.partnerID == partnerID && $0.isActive(on: day) && !Self.signingRoles.isDisjoint(with: $0.roles) }
    }

    init(row: Row) throws(CorruptRecord) {
        let stored = try StoredRecord(documentIn: row, table: "people")
        id = try stored.string("id")
        name = try stored.string("name")
        email = try stored.optionalString("email")
        phone = try stored.optionalString("phone")
        languages = try stored.strings("languages")
        affiliations = try stored.records("affiliations").map { record throws(CorruptRecord) in try Affiliation(stored: record) }
        createdAt = try stored.string("created_at")
        updatedAt = try stored.string("updated_at")
        version = Int(try stored.int("version"))
    }

    /// Validates a complete set of writable fields (a create body, or a
    /// current person with a merge patch applied).
    init(id: String, fields: JSONObject, createdAt: String, updatedAt: String, version: Int) throws(RegistryError) {
        var reader = FieldReader(fields, allowed: Self.writableFields)
        let name = reader.string("name", required: true, maxLength: 200, trimmed: true)
        let email = reader.string("email", maxLength: 320)
        if let email, !Partner.isEmail(email) { reader.fail("email", "an email address") }
        let phone = reader.string("phone", maxLength: 40, trimmed: true)
        if let phone, !Self.isPhoneNumber(phone) { reader.fail("phone", "a phone number: digits, spaces and + ( ) . -") }
        let languages = reader.stringArray("languages", maxLength: 35) ?? []
        for (index, tag) in languages.enumerated() where !Self.isLanguageTag(tag) {
            reader.fail("languages[\(index)]", "a BCP 47 language tag such as fr or pt-BR")
        }
        if Set(languages.map { $0.lowercased() }).count != languages.count { reader.fail("languages", "a language appears twice") }
        var affiliations: [Affiliation] = []
        for (index, item) in (reader.array("affiliations") ?? []).enumerated() {
            guard let object = item.objectValue else {
                reader.fail("affiliations[\(index)]", "must be an object")
                continue
            }
            if let affiliation = Affiliation(fields: object, prefix: "affiliations[\(index)].", reader: &reader) {
                affiliations.append(affiliation)
            }
        }
        try reader.check()
        self.id = id
        self.name = name!
        self.email = email
        self.phone = phone
        self.languages = languages
        self.affiliations = affiliations
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }

    /// The key for `q`: the Unicode-lowercased name.
    var nameKey: String { name.lowercased() }
    /// The key for the unique-email rule.
    var emailKey: String? { email?.lowercased() }

    static func isPhoneNumber(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.properties.numericType != nil && $0.isASCII || " +().-".unicodeScalars.contains($0) }
            && text.unicodeScalars.filter({ $0.isASCII && $0.properties.numericType != nil }).count >= 3
    }

    /// The shape of a BCP 47 tag: a 2–8 letter primary subtag, then subtags
    /// of 1–8 letters or digits (registry membership is not checked).
    static func isLanguageTag(_ text: String) -> Bool {
        let subtags = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let primary = subtags.first, (2...8).contains(primary.count),
              primary.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic })
        else { return false }
        return subtags.dropFirst().allSatisfy { subtag in
            (1...8).contains(subtag.count) && subtag.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil) }
        }
    }
}

/// A person's tie to a partner: a title, roles and the dates it holds.
public struct Affiliation: Sendable, Equatable {
    public let partnerID: String
    public var title: String?
    public var roles: [String]
    public var since: String?
    public var until: String?

    /// The stored form, inside the person's document.
    var document: JSONObject {
        ["partner_id": .string(partnerID), "title": title.json, "roles": .array(roles.map(JSON.string)),
         "since": since.json, "until": until.json]
    }

    /// Active on `day` when `since` ≤ day ≤ `until`, either bound open.
    func isActive(on day: String) -> Bool {
        (since.map { $0 <= day } ?? true) && (until.map { day <= $0 } ?? true)
    }

    init(stored: StoredRecord) throws(CorruptRecord) {
        partnerID = try stored.string("partner_id")
        title = try stored.optionalString("title")
        roles = try stored.strings("roles")
        since = try stored.optionalString("since")
        until = try stored.optionalString("until")
    }

    init?(fields: JSONObject, prefix: String, reader: inout FieldReader) {
        var inner = FieldReader(fields, prefix: prefix, allowed: ["partner_id", "title", "roles", "since", "until"])
        let partnerID = inner.string("partner_id", required: true)
        let title = inner.string("title", maxLength: 200, trimmed: true)
        let roles = inner.stringArray("roles", maxCount: Person.roles.count) ?? []
        for (index, role) in roles.enumerated() where !Person.roles.contains(role) {
            inner.fail("roles[\(index)]", "one of " + Person.roles.joined(separator: ", "))
        }
        if Set(roles).count != roles.count { inner.fail("roles", "a role appears twice") }
        let since = inner.date("since")
        let until = inner.date("until")
        if let since, let until, until < since { inner.fail("until", "must not be before since") }
        let valid = inner.errors.isEmpty
        reader.absorb(inner.errors)
        guard valid, let partnerID else { return nil }
        self.partnerID = partnerID
        self.title = title
        self.roles = roles
        self.since = since
        self.until = until
    }
}
