import JSON
import Registry

/// The wire shape of a convention (API.md §5): its text and state, with what
/// is judged at the view's date (`expired`, the amounts due and overdue, the
/// defaulting parties) and the digest of its text; and the CSV columns of its
/// list. A revision (`GET …/revisions`, `?as_of=`) is not rendered here: by
/// contract it is served byte for byte as the registry stored it.
enum ConventionPresenter {
    static let csvColumns = [
            "id", "project_id", "title", "reference", "status", "currency", "effective_from", "effective_until", "notice_days",
            "authorised_signatories", "expired", "revision", "text_sha256", "signed_at", "terminated_on", "termination_reason",
            "created_at", "updated_at", "version",
        ]

    static func json(_ view: ConventionView) -> JSONObject {
        let convention = view.convention
        let dueBy = convention.dueDate(on: view.today)
        return [
            "id": .string(convention.id), "project_id": .string(convention.projectID), "title": .string(convention.title),
            "reference": convention.reference.json, "status": .string(convention.status.rawValue), "currency": .string(convention.currency),
            "effective_from": convention.effectiveFrom.json, "effective_until": convention.effectiveUntil.json,
            "notice_days": convention.noticeDays.map(JSON.int) ?? .null, "authorised_signatories": .bool(convention.authorisedSignatories),
            "expired": .bool(convention.isExpired(on: view.today)),
            "dispute_resolution": .object(convention.disputeResolution), "governance": .object(convention.governance),
            "parties": .array(convention.parties.map { .object(party($0, defaulting: view.defaulting.contains($0.partnerID), dueBy: dueBy)) }),
            "revision": .int(Int64(convention.revision)), "text_sha256": .string(convention.textSHA256), "signed_at": convention.signedAt.json,
            "terminated_on": convention.terminatedOn.json, "termination_reason": convention.terminationReason.json,
            "created_at": .string(convention.createdAt), "updated_at": .string(convention.updatedAt), "version": .int(Int64(convention.version)),
        ]
    }

    /// A party with its sums as of `dueBy` (nil: nothing is due).
    private static func party(_ party: ConventionParty, defaulting: Bool, dueBy: String?) -> JSONObject {
        [
            "partner_id": .string(party.partnerID),
            "contributions": .array(party.contributions.map { contribution in
                .object(["id": .string(contribution.id), "kind": .string(contribution.kind), "description": .string(contribution.description),
                         "value_cents": .int(contribution.valueCents),
                         "instalments": .array(contribution.instalments.map { .object(["due_on": .string($0.dueOn), "value_cents": .int($0.valueCents)]) }),
                         "delivered_cents": .int(contribution.deliveredCents), "due_cents": .int(contribution.dueCents(by: dueBy)),
                         "overdue_cents": .int(contribution.overdueCents(by: dueBy))])
            }),
            "contribution_cents": .int(party.contributionCents), "delivered_cents": .int(party.deliveredCents),
            "due_cents": .int(party.dueCents(by: dueBy)), "overdue_cents": .int(party.overdueCents(by: dueBy)),
            "signed_at": party.signedAt.json, "signatory": party.signatory.json, "person_id": party.personID.json,
            "text_sha256": party.textSHA256.json, "defaulting": .bool(defaulting),
        ]
    }
}
