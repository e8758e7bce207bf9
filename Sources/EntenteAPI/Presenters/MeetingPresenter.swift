import JSON
import Registry

/// The wire shape of a meeting (API.md §13), in JSON and CSV.
enum MeetingPresenter {
    static let csvColumns = [
        "id", "convention_id", "title", "kind", "starts_at", "ends_at", "location", "online_url", "status", "created_at", "updated_at", "version",
    ]

    /// The meeting as served at `now`: published minutes past their
    /// objection deadline read `approved`.
    static func json(_ meeting: Meeting, now: Instant) -> JSONObject {
        [
            "id": .string(meeting.id), "convention_id": .string(meeting.conventionID), "title": .string(meeting.details.title),
            "kind": .string(meeting.details.kind), "starts_at": .string(meeting.details.startsAt), "ends_at": meeting.details.endsAt.json,
            "location": meeting.details.location.json, "online_url": meeting.details.onlineURL.json, "status": .string(meeting.status.rawValue),
            "agenda": .array(meeting.agenda.map { item in
                .object(["number": .int(Int64(item.number)), "title": .string(item.title), "decision_id": item.decisionID.json])
            }),
            "attendance": .array(meeting.attendance.map { entry in
                .object(["partner_id": .string(entry.partnerID), "person_id": entry.personID.json, "present": .bool(entry.present)])
            }),
            "proxies": .array(meeting.proxies.map { proxy in
                .object(["grantor_partner_id": .string(proxy.grantorPartnerID), "holder_partner_id": .string(proxy.holderPartnerID),
                         "granted_at": .string(proxy.grantedAt)])
            }),
            "minutes": meeting.minutes.map { .object(minutes($0, now: now)) } ?? .null,
            "created_at": .string(meeting.createdAt), "updated_at": .string(meeting.updatedAt), "version": .int(Int64(meeting.version)),
        ]
    }

    private static func minutes(_ minutes: Meeting.Minutes, now: Instant) -> JSONObject {
        [
            "text": .string(minutes.text), "status": .string(minutes.status(at: now.timestamp).rawValue),
            "published_at": minutes.publishedAt.json, "objection_deadline": minutes.objectionDeadline.json,
            "objections": .array(minutes.objections.map { objection in
                .object(["partner_id": .string(objection.partnerID), "reason": .string(objection.reason), "at": .string(objection.at)])
            }),
        ]
    }
}
