import JSON
import Registry

/// The wire shape of a breach notice (API.md §14): its status as read at
/// `now` (an open notice past its deadline reads lapsed, `lapsed_at` then
/// being the deadline).
enum BreachNoticePresenter {
    static func json(_ notice: BreachNotice, now: Instant) -> JSONObject {
        [
            "id": .string(notice.id), "convention_id": .string(notice.conventionID), "partner_id": .string(notice.partnerID),
            "reason": .string(notice.reason), "cure_days": .int(Int64(notice.cureDays)), "issued_at": .string(notice.issuedAt),
            "cure_deadline": .string(notice.cureDeadline), "status": .string(notice.status(at: now).rawValue), "cured_at": notice.curedAt.json,
            "lapsed_at": notice.lapsedAt(at: now).json,
            "created_at": .string(notice.createdAt), "updated_at": .string(notice.updatedAt), "version": .int(Int64(notice.version)),
        ]
    }
}
