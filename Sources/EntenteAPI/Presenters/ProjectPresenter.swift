import JSON
import Registry

/// The wire shape of a project (API.md §4), with its partners, and the CSV
/// columns of its list.
enum ProjectPresenter {
    static let csvColumns = ["id", "title", "description", "discipline", "status", "starts_on", "ends_on", "budget_cents", "currency", "created_at", "updated_at", "version"]

    static func json(_ project: Project) -> JSONObject {
        [
            "id": .string(project.id), "title": .string(project.title), "description": project.description.json,
            "discipline": project.discipline.json, "status": .string(project.status.rawValue), "starts_on": project.startsOn.json,
            "ends_on": project.endsOn.json, "budget_cents": project.budgetCents.map(JSON.int) ?? .null, "currency": .string(project.currency),
            "partners": .array(project.partners.map { .object(json($0)) }),
            "created_at": .string(project.createdAt), "updated_at": .string(project.updatedAt), "version": .int(Int64(project.version)),
        ]
    }

    /// One participation: `{partner_id, role}`, an item of `partners`.
    static func json(_ participant: (partnerID: String, role: String)) -> JSONObject {
        ["partner_id": .string(participant.partnerID), "role": .string(participant.role)]
    }
}
