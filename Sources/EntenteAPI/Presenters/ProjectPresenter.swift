import JSON
import Registry

/// The wire shape of a project: its JSON object is the audited record the
/// registry keeps (`Project.json`, which audit entries and webhook events carry
/// too); the CSV columns of its list are named here.
enum ProjectPresenter {
    static let csvColumns = ["id", "title", "description", "discipline", "status", "starts_on", "ends_on", "budget_cents", "currency", "created_at", "updated_at", "version"]

    static func json(_ project: Project) -> JSONObject {
        project.json
    }
}
