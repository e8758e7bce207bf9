import JSON
import Registry

/// The wire shape of an obligation (API.md §14): its status as of `today`
/// (overdue once `due_on` has passed unfulfilled), and the CSV columns of its list.
enum ObligationPresenter {
    static let csvColumns = [
            "id", "convention_id", "partner_id", "title", "kind", "due_on", "description", "status", "fulfilled_at", "evidence_url", "note",
            "created_at", "updated_at", "version",
        ]

    static func json(_ obligation: Obligation, today: String) -> JSONObject {
        [
            "id": .string(obligation.id), "convention_id": .string(obligation.conventionID), "partner_id": .string(obligation.partnerID),
            "title": .string(obligation.title), "kind": .string(obligation.kind), "due_on": .string(obligation.dueOn),
            "description": obligation.description.json, "status": .string(obligation.status(on: today).rawValue),
            "fulfilled_at": obligation.fulfilledAt.json, "evidence_url": obligation.evidenceURL.json, "note": obligation.note.json,
            "created_at": .string(obligation.createdAt), "updated_at": .string(obligation.updatedAt), "version": .int(Int64(obligation.version)),
        ]
    }
}
