import JSON
import Registry

/// The wire shape of a person: its JSON object is the audited record the
/// registry keeps (`Person.json`, which audit entries and webhook events carry
/// too); the CSV columns of its list are named here.
enum PersonPresenter {
    static let csvColumns = ["id", "name", "email", "phone", "languages", "created_at", "updated_at", "version"]

    static func json(_ person: Person) -> JSONObject {
        person.json
    }
}
