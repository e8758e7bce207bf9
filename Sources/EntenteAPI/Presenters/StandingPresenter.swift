import JSON
import Registry

/// The wire shape of a partner's standing under one convention (API.md §14).
enum StandingPresenter {
    static func json(_ standing: Standing) -> JSONObject {
        ["convention_id": .string(standing.conventionID), "overdue_cents": .int(standing.overdueCents),
         "overdue_obligations": .int(Int64(standing.overdueObligations)), "open_notices": .int(Int64(standing.openNotices)),
         "defaulting": .bool(standing.defaulting)]
    }

    /// `GET /v1/partners/{id}/standing`: a page of conventions, with the partner it is about.
    static func list(_ standing: Page<Standing>, partnerID: String) -> JSON {
        .object(["partner_id": .string(partnerID), "items": .array(standing.items.map { .object(json($0)) }),
                 "next_cursor": standing.nextCursor.map(JSON.string) ?? .null])
    }
}
