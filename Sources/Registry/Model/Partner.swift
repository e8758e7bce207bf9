import JSON
import SQLite

/// A partner (API.md §3): an institution, company, local authority,
/// foundation, artist, association or other.
public struct Partner: Sendable {
    public static let kinds = ["institution", "company", "local_authority", "foundation", "artist", "association", "other"]
    static let writableFields = ["name", "kind", "legal_name", "country", "city", "website", "email", "expertise", "description"]

    public let id: String
    public var name: String
    public var kind: String
    public var legalName: String?
    public var country: String?
    public var city: String?
    public var website: String?
    public var email: String?
    public var expertise: [String]
    public var description: String?
    public var createdAt: String
    public var updatedAt: String
    public var version: Int

    /// What the audit entries `partner.created` and `partner.deleted` record
    /// (their `changes`); its writable members are the base a merge patch
    /// applies to.
    var auditRecord: JSONObject {
        [
            "id": .string(id), "name": .string(name), "kind": .string(kind),
            "legal_name": legalName.json, "country": country.json, "city": city.json,
            "website": website.json, "email": email.json,
            "expertise": .array(expertise.map(JSON.string)), "description": description.json,
            "created_at": .string(createdAt), "updated_at": .string(updatedAt), "version": .int(Int64(version)),
        ]
    }

    /// The writable fields only (the base a merge patch applies to).
    var writableJSON: JSONObject {
        JSONObject(auditRecord.filter { Self.writableFields.contains($0.key) }.map { ($0.key, $0.value) })
    }

    init(row: Row) throws(CorruptRecord) {
        let stored = StoredRecord(row: row, table: "partners")
        id = try stored.string("id")
        name = try stored.string("name")
        kind = try stored.string("kind")
        legalName = try stored.optionalString("legal_name")
        country = try stored.optionalString("country")
        city = try stored.optionalString("city")
        website = try stored.optionalString("website")
        email = try stored.optionalString("email")
        expertise = try stored.parsedStrings("expertise")
        description = try stored.optionalString("description")
        createdAt = try stored.string("created_at")
        updatedAt = try stored.string("updated_at")
        version = Int(try stored.int("version"))
    }

    /// Validates a complete set of writable fields (a create body, or a
    /// current partner with a merge patch applied).
    init(id: String, fields: JSONObject, createdAt: String, updatedAt: String, version: Int) throws(RegistryError) {
        var reader = FieldReader(fields, allowed: Self.writableFields)
        let name = reader.string("name", required: true, maxLength: 200, trimmed: true)
        let kind = reader.oneOf("kind", Self.kinds, required: true)
        let legalName = reader.string("legal_name", maxLength: 300)
        let country = reader.string("country")?.uppercased()
        if let country, !CountryCode.isValid(country) {
            reader.fail("country", "an ISO 3166-1 alpha-2 code, such as FR")
        }
        let city = reader.string("city", maxLength: 200)
        let website = reader.string("website", maxLength: 2000)
        if let website, !Self.isWebURL(website) { reader.fail("website", "an http(s) URL") }
        let email = reader.string("email", maxLength: 320)
        if let email, !Self.isEmail(email) { reader.fail("email", "an email address") }
        let expertise = reader.stringArray("expertise")
        let description = reader.string("description", maxLength: 10_000, freeText: true)
        try reader.check()
        self.id = id
        self.name = name!
        self.kind = kind!
        self.legalName = legalName
        self.country = country
        self.city = city
        self.website = website
        self.email = email
        self.expertise = expertise ?? []
        self.description = description
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }

    /// An absolute http(s) URL: a host name, an IPv4 address or a bracketed IPv6
    /// address, an optional port, then an optional path, query and fragment.
    static func isWebURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        guard let rest = lower.hasPrefix("https://") ? lower.dropFirst(8) : lower.hasPrefix("http://") ? lower.dropFirst(7) : nil,
              !text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F })
        else { return false }
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") { hostPort = authority[authority.index(after: at)...] }
        var host = hostPort
        var port: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { return false }
            host = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return false }
                port = after.dropFirst()
            }
            guard !host.isEmpty, host.contains(":"), host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
        } else {
            if let colon = hostPort.firstIndex(of: ":") {
                host = hostPort[..<colon]
                port = hostPort[hostPort.index(after: colon)...]
            }
            let labels = host.split(separator: ".", omittingEmptySubsequences: false)
            guard !host.isEmpty, labels.allSatisfy({ label in
                !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.allSatisfy { ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
            }) else { return false }
        }
        if let port {
            guard !port.isEmpty, port.count <= 5, port.allSatisfy(\.isASCIIDigit), let number = Int(port), number <= 65535 else { return false }
        }
        return true
    }

    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
    }

    /// The key for the duplicate rule: trimmed, Unicode-lowercased name.
    var nameKey: String { name.trimmingWhitespace().lowercased() }
}

extension Character {
    /// 0–9 only (`isNumber` alone also accepts other scripts' digits and fractions).
    public var isASCIIDigit: Bool { isASCII && isNumber }
}
