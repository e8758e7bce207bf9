import JSON
import SQLite

/// A meeting of a convention's governing body (API.md §13): its agenda,
/// who attended, who holds whose proxy, and its minutes.
public struct Meeting: Sendable {
    public static let kinds = ["assembly", "steering_committee", "other"]

    /// An item of the agenda; `decisionID` names the decision put to the vote.
    public struct AgendaItem: Sendable {
        public let number: Int
        public let title: String
        public let decisionID: String?
    }

    /// A party's attendance, with the person who sat for it.
    public struct Attendance: Sendable {
        public let partnerID: String
        public var personID: String?
        public var present: Bool
    }

    /// A procuration: the holder votes for the absent grantor.
    public struct Proxy: Sendable {
        public let grantorPartnerID: String
        public var holderPartnerID: String
        public var grantedAt: String
    }

    public struct Objection: Sendable {
        public let partnerID: String
        public let reason: String
        public let at: String
    }

    /// The minutes as written and published; `status(at:)` reads approval.
    public struct Minutes: Sendable {
        public var text: String
        /// Stored state: draft, published or objected (approved once recorded).
        public var storedStatus: MinutesStatus
        public var publishedAt: String?
        public var objectionDeadline: String?
        public var objections: [Objection]

        /// Published minutes no one objected to are approved once the deadline passes.
        public func status(at now: String) -> MinutesStatus {
            if storedStatus == .published, let deadline = objectionDeadline, deadline <= now { return .approved }
            return storedStatus
        }
    }

    public let id: String
    public let conventionID: String
    /// Title, kind, when and where: what a PATCH may change.
    public var details: MeetingDetails
    public var status: MeetingStatus
    public var agenda: [AgendaItem]
    public var attendance: [Attendance]
    public var proxies: [Proxy]
    public var minutes: Minutes?
    public let createdAt: String
    public var updatedAt: String
    public var version: Int

    /// The meeting with `defaulting` parties set aside: a scheduled meeting
    /// has lost the proxies they gave or held.
    func current(defaulting: Set<String>) -> Meeting {
        guard status == .scheduled, !defaulting.isEmpty else { return self }
        var current = self
        current.proxies.removeAll { defaulting.contains($0.grantorPartnerID) || defaulting.contains($0.holderPartnerID) }
        return current
    }

    /// The stored document, with the minutes' stored status.
    var document: JSONObject {
        [
            "id": .string(id), "convention_id": .string(conventionID), "title": .string(details.title), "kind": .string(details.kind),
            "starts_at": .string(details.startsAt), "ends_at": details.endsAt.json, "location": details.location.json,
            "online_url": details.onlineURL.json,
            "status": .string(status.rawValue),
            "agenda": .array(agenda.map { .object(["number": .int(Int64($0.number)), "title": .string($0.title), "decision_id": $0.decisionID.json]) }),
            "attendance": .array(attendance.map { .object(["partner_id": .string($0.partnerID), "person_id": $0.personID.json, "present": .bool($0.present)]) }),
            "proxies": .array(proxies.map {
                .object(["grantor_partner_id": .string($0.grantorPartnerID), "holder_partner_id": .string($0.holderPartnerID), "granted_at": .string($0.grantedAt)])
            }),
            "minutes": minutes.map { minutes in
                .object([
                    "text": .string(minutes.text), "status": .string(minutes.storedStatus.rawValue),
                    "published_at": minutes.publishedAt.json, "objection_deadline": minutes.objectionDeadline.json,
                    "objections": .array(minutes.objections.map { .object(["partner_id": .string($0.partnerID), "reason": .string($0.reason), "at": .string($0.at)]) }),
                ])
            } ?? .null,
            "created_at": .string(createdAt), "updated_at": .string(updatedAt), "version": .int(Int64(version)),
        ]
    }

    init(id: String, conventionID: String, details: MeetingDetails, agenda: [AgendaItem], at: Instant) {
        self.id = id
        self.conventionID = conventionID
        self.details = details
        self.status = .scheduled
        self.agenda = agenda
        self.attendance = []
        self.proxies = []
        self.minutes = nil
        self.createdAt = at.timestamp
        self.updatedAt = at.timestamp
        self.version = 1
    }

    init(row: Row) throws(CorruptRecord) {
        let stored = try StoredRecord(documentIn: row, table: "meetings")
        id = try stored.string("id")
        conventionID = try stored.string("convention_id")
        details = MeetingDetails(
            title: try stored.string("title"), kind: try stored.string("kind"), startsAt: try stored.string("starts_at"),
            endsAt: try stored.optionalString("ends_at"), location: try stored.optionalString("location"), onlineURL: try stored.optionalString("online_url"))
        status = try stored.value("status")
        agenda = try stored.records("agenda").map { item throws(CorruptRecord) in
            AgendaItem(number: Int(try item.int("number")), title: try item.string("title"), decisionID: try item.optionalString("decision_id"))
        }
        attendance = try stored.records("attendance").map { entry throws(CorruptRecord) in
            Attendance(partnerID: try entry.string("partner_id"), personID: try entry.optionalString("person_id"), present: try entry.bool("present"))
        }
        proxies = try stored.records("proxies").map { proxy throws(CorruptRecord) in
            Proxy(grantorPartnerID: try proxy.string("grantor_partner_id"), holderPartnerID: try proxy.string("holder_partner_id"),
                  grantedAt: try proxy.string("granted_at"))
        }
        if let minutes = try stored.optionalRecord("minutes") {
            self.minutes = Minutes(
                text: try minutes.string("text"), storedStatus: try minutes.value("status"),
                publishedAt: try minutes.optionalString("published_at"), objectionDeadline: try minutes.optionalString("objection_deadline"),
                objections: try minutes.records("objections").map { objection throws(CorruptRecord) in
                    Objection(partnerID: try objection.string("partner_id"), reason: try objection.string("reason"), at: try objection.string("at"))
                })
        } else {
            minutes = nil
        }
        createdAt = try stored.string("created_at")
        updatedAt = try stored.string("updated_at")
        version = Int(try stored.int("version"))
    }
}

/// The fields of a meeting that a creation or a PATCH sets.
public struct MeetingDetails: Sendable {
    public var title: String
    public var kind: String
    /// RFC 3339 UTC instants.
    public var startsAt: String
    public var endsAt: String?
    public var location: String?
    public var onlineURL: String?

    static let fields = ["title", "kind", "starts_at", "ends_at", "location", "online_url"]

    init(title: String, kind: String, startsAt: String, endsAt: String?, location: String?, onlineURL: String?) {
        self.title = title
        self.kind = kind
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.location = location
        self.onlineURL = onlineURL
    }

    /// Reads the fields present in `fields` over `base` (a creation starts
    /// from nothing and needs `title` and `starts_at`).
    init(_ fields: JSONObject, over base: MeetingDetails?, reader: inout FieldReader) {
        let creating = base == nil
        title = reader.string("title", required: creating, maxLength: 300, trimmed: true) ?? base?.title ?? ""
        kind = reader.oneOf("kind", Meeting.kinds) ?? base?.kind ?? "assembly"
        startsAt = reader.instant("starts_at", required: creating) ?? base?.startsAt ?? ""
        endsAt = fields.keys.contains("ends_at") ? reader.instant("ends_at") : base?.endsAt
        location = fields.keys.contains("location") ? reader.string("location", maxLength: 500, trimmed: true) : base?.location
        onlineURL = fields.keys.contains("online_url") ? reader.string("online_url", maxLength: 2000) : base?.onlineURL
        if let onlineURL, !Partner.isWebURL(onlineURL) { reader.fail("online_url", "an http(s) URL") }
        if let endsAt, !startsAt.isEmpty, endsAt < startsAt { reader.fail("ends_at", "must not be before starts_at") }
        if !creating, fields["title"]?.isNull == true { reader.fail("title", "required") }
        if !creating, fields["starts_at"]?.isNull == true { reader.fail("starts_at", "required") }
    }
}
