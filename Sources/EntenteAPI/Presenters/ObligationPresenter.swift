import JSON
import Registry

/// The wire shape of an obligation: its status as of `today` (overdue once
/// `due_on` has passed unfulfilled), and the CSV columns of its list.
enum ObligationPresenter {
    static let csvColumns = [
            "id", "convention_id", "partner_id", "title", "kind", "due_on", "description", "status", "fulfilled_at", "evidence_url", "note",
            "created_at", "updated_at", "version",
        ]

    static func json(_ obligation: Obligation, today: String) -> JSONObject {
        obligation.json(today: today)
    }
}
