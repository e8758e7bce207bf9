import Governance
import JSON
import Registry

/// The wire shape of decision rights (API.md §6), of a meeting's (§13) and of a simulation.
enum DecisionRightsPresenter {
    /// `{convention_id?, revision?, voting, majority, quota, method, partners, error_bound?}`,
    /// led by `meeting_id` and followed by `blocs` at a meeting.
    static func json(_ answer: DecisionRightsAnswer) -> JSONObject {
        var object = JSONObject()
        if let meetingID = answer.meetingID { object["meeting_id"] = .string(meetingID) }
        if let conventionID = answer.conventionID { object["convention_id"] = .string(conventionID) }
        if let revision = answer.revision { object["revision"] = .int(Int64(revision)) }
        object["voting"] = answer.voting
        object["majority"] = answer.majority
        object["quota"] = .double(answer.quota.doubleValue)
        object["method"] = .string(answer.method.rawValue)
        let atMeeting = answer.blocs != nil
        object["partners"] = .array(answer.partners.map { .object(party($0, atMeeting: atMeeting)) })
        if let bound = answer.errorBound { object["error_bound"] = .double(bound) }
        if let blocs = answer.blocs {
            object["blocs"] = .array(blocs.map { bloc in
                .object([
                    "holder_partner_id": .string(bloc.holderPartnerID), "partner_ids": .array(bloc.partnerIDs.map(JSON.string)),
                    "weight": .double(bloc.weight.doubleValue), "banzhaf": .double(bloc.banzhaf), "shapley_shubik": .double(bloc.shapleyShubik),
                ])
            })
        }
        return object
    }

    private static func party(_ party: DecisionRightsAnswer.Party, atMeeting: Bool) -> JSONObject {
        var entry: JSONObject = [
            "partner_id": .string(party.partnerID), "name": party.name.json, "contribution_cents": .int(party.contributionCents),
        ]
        // A defaulting party's figures are written as integers, as they always were.
        if party.defaulting {
            entry["weight"] = 0; entry["banzhaf"] = 0; entry["shapley_shubik"] = 0; entry["swings"] = 0
        } else {
            entry["weight"] = .double(party.weight.doubleValue)
            entry["banzhaf"] = .double(party.banzhaf)
            entry["shapley_shubik"] = .double(party.shapleyShubik)
            // Counts past 2^63 (over 60 parties) are written as a number, not an integer.
            entry["swings"] = party.swings.uint64Value.flatMap { Int64(exactly: $0) }.map(JSON.int) ?? .double(party.swings.doubleValue)
        }
        entry["veto"] = .bool(party.veto)
        entry["dummy"] = .bool(party.dummy)
        entry["defaulting"] = .bool(party.defaulting)
        if atMeeting { entry["proxy_holder_partner_id"] = party.proxyHolderPartnerID.json }
        return entry
    }
}
