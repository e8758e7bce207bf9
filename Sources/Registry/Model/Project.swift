import JSON
import SQLite

/// A project partners carry together (API.md §4).
public struct Project: Sendable {
    public static let roles = ["lead", "co_organizer", "funder", "host", "contributor"]
    static let writableFields = ["title", "description", "discipline", "status", "starts_on", "ends_on", "budget_cents", "currency", "partners"]

    public let id: String
    public var title: String
    public var description: String?
    public var discipline: String?
    public var status: ProjectStatus
    public var startsOn: String?
    public var endsOn: String?
    public var budgetCents: Int64?
    public var currency: String
    public var partners: [(partnerID: String, role: String)]
    public var createdAt: String
    public var updatedAt: String
    public var version: Int

    /// What the audit entries `project.created` and `project.deleted`
    /// record (their `changes`); its writable members are the base a merge
    /// patch applies to.
    var auditRecord: JSONObject {
        [
            "id": .string(id), "title": .string(title), "description": description.json, "discipline": discipline.json,
            "status": .string(status.rawValue), "starts_on": startsOn.json, "ends_on": endsOn.json,
            "budget_cents": budgetCents.map(JSON.int) ?? .null, "currency": .string(currency),
            "partners": .array(partners.map { .object(["partner_id": .string($0.partnerID), "role": .string($0.role)]) }),
            "created_at": .string(createdAt), "updated_at": .string(updatedAt), "version": .int(Int64(version)),
        ]
    }

    var writableJSON: JSONObject {
        JSONObject(auditRecord.filter { Self.writableFields.contains($0.key) }.map { ($0.key, $0.value) })
    }

    init(row: Row, partners: [(String, String)]) throws(CorruptRecord) {
        let stored = StoredRecord(row: row, table: "projects")
        id = try stored.string("id")
        title = try stored.string("title")
        description = try stored.optionalString("description")
        discipline = try stored.optionalString("discipline")
        status = try stored.value("status")
        startsOn = try stored.optionalString("starts_on")
        endsOn = try stored.optionalString("ends_on")
        budgetCents = try stored.optionalInt("budget_cents")
        currency = try stored.string("currency")
        self.partners = partners
        createdAt = try stored.string("created_at")
        updatedAt = try stored.string("updated_at")
        version = Int(try stored.int("version"))
    }

    /// Validates a full set of writable fields; `current` is the status before
    /// (nil on creation), whose transition rules apply.
    init(id: String, fields: JSONObject, current: Project?, at: Instant) throws(RegistryError) {
        var reader = FieldReader(fields, allowed: Self.writableFields)
        let title = reader.string("title", required: true, maxLength: 300, trimmed: true)
        let description = reader.string("description", freeText: true)
        let discipline = reader.string("discipline", maxLength: 200)
        let statusName = reader.oneOf("status", ProjectStatus.allCases.map(\.rawValue))
        let startsOn = reader.date("starts_on")
        let endsOn = reader.date("ends_on")
        if let startsOn, let endsOn, endsOn < startsOn { reader.fail("ends_on", "must not be before starts_on") }
        let budget = reader.integer("budget_cents", minimum: 0, maximum: Money.maximumCents)
        let partners = Self.participants(reader.array("partners"), reader: &reader)
        let currency = reader.string("currency") ?? "EUR"
        if !Currency.isValid(currency) { reader.fail("currency", "an ISO 4217 code such as EUR") }
        var status = ProjectStatus.draft
        if let statusName, let requested = ProjectStatus(rawValue: statusName) {
            if current == nil, !ProjectStatus.creatable.contains(requested) {
                reader.fail("status", "a new project is draft or active")
            } else {
                status = requested
            }
        } else if let current {
            status = current.status
        }
        try reader.check()
        if let current, status != current.status, !current.status.canMove(to: status) {
            throw .invalidTransition("A \(current.status.rawValue) project cannot become \(status.rawValue).")
        }
        self.id = id
        self.title = title!
        self.description = description
        self.discipline = discipline
        self.status = status
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.budgetCents = budget
        self.currency = currency
        self.partners = partners ?? current?.partners ?? []
        self.createdAt = current?.createdAt ?? at.timestamp
        self.updatedAt = at.timestamp
        self.version = (current?.version ?? 0) + 1
    }
}

extension Project {
    /// `partners: [{partner_id, role}]`, each partner once, at most one lead.
    static func participants(_ items: [JSON]?, reader: inout FieldReader) -> [(partnerID: String, role: String)]? {
        guard let items else { return nil }
        var result: [(partnerID: String, role: String)] = []
        for (index, item) in items.enumerated() {
            guard let object = item.objectValue else {
                reader.fail("partners[\(index)]", "must be an object")
                continue
            }
            var inner = FieldReader(object, prefix: "partners[\(index)].", allowed: ["partner_id", "role"])
            let partner = inner.string("partner_id", required: true)
            let role = inner.oneOf("role", roles, required: true)
            if let partner, result.contains(where: { $0.partnerID == partner }) { inner.fail("partner_id", "appears twice") }
            reader.absorb(inner.errors)
            if let partner, let role { result.append((partner, role)) }
        }
        if result.filter({ $0.role == "lead" }).count > 1 { reader.fail("partners", "at most one lead") }
        return result
    }
}

/// The project lifecycle: draft → active → completed; any non-final → cancelled.
public enum ProjectStatus: String, Sendable, CaseIterable {
    case draft, active, completed, cancelled

    static let creatable: Set<ProjectStatus> = [.draft, .active]

    var isFinal: Bool { self == .completed || self == .cancelled }

    func canMove(to next: ProjectStatus) -> Bool {
        switch (self, next) {
        case (.draft, .active), (.active, .completed): true
        case (_, .cancelled): !isFinal
        default: false
        }
    }
}

/// Amounts of money in cents.
enum Money {
    /// 10^14 cents (a thousand billion in any currency): far above any real
    /// pledge, and low enough that every sum a 1 MiB request can hold fits in Int64.
    static let maximumCents: Int64 = 100_000_000_000_000

    /// The sum, or nil past `maximumCents` (never an overflow, whatever the count).
    static func sum(_ amounts: some Sequence<Int64>) -> Int64? {
        var total: Int64 = 0
        for amount in amounts {
            total += amount
            if total > maximumCents { return nil }
        }
        return total
    }
}
