import Governance
import JSON
import Registry

/// The wire shape of a decision (API.md §7): its fields, the tally and each
/// vote's weight under the weights frozen at opening.
enum DecisionPresenter {
    static func json(_ decision: Decision) -> JSONObject {
        // The weights are computed once, for the tally and the votes.
        let weights = decision.weights
        let tally = decision.tally(weights: weights)
        return [
            "id": .string(decision.id), "convention_id": .string(decision.conventionID), "revision": .int(Int64(decision.revision)),
            "title": .string(decision.title), "description": decision.description.json, "meeting_id": decision.meetingID.json,
            "majority": decision.majority, "status": .string(decision.status.rawValue), "outcome": decision.outcome.map { .string($0.rawValue) } ?? .null,
            "tally": [
                "present": .double(tally.present.doubleValue), "yes": .double(tally.yes.doubleValue),
                "no": .double(tally.no.doubleValue), "abstain": .double(tally.abstain.doubleValue),
                "parties_total": .int(Int64(tally.partiesTotal)), "parties_present": .int(Int64(tally.partiesPresent)),
                "quorum_reached": .bool(tally.quorumReached), "projected_outcome": .string(tally.projectedOutcome.rawValue),
            ],
            "votes": .array(decision.votes.map { vote in
                .object(["partner_id": .string(vote.partnerID), "choice": .string(vote.choice.rawValue),
                         "weight": .double((weights[vote.partnerID] ?? .zero).doubleValue), "cast_at": .string(vote.castAt),
                         "by_proxy": vote.byProxy.json])
            }),
            "closes_at": decision.closesAt.json, "closed_at": decision.closedAt.json, "created_at": .string(decision.createdAt),
            "updated_at": .string(decision.updatedAt), "version": .int(Int64(decision.version)),
        ]
    }
}
