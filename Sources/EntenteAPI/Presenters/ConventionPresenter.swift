import JSON
import Registry

/// The wire shape of a convention: the view the registry computes (dues as
/// of today, defaulting parties), and the CSV columns of its list.
enum ConventionPresenter {
    static let csvColumns = [
            "id", "project_id", "title", "reference", "status", "currency", "effective_from", "effective_until", "notice_days",
            "expired", "revision", "signed_at", "terminated_on", "termination_reason", "created_at", "updated_at", "version",
        ]

    static func json(_ view: ConventionView) -> JSONObject {
        view.json()
    }
}
