import Governance
import JSON

extension Registry {
    /// `GET /v1/meetings/{id}/decision-rights`: §6's answer for the game in
    /// which each proxy holder votes as one bloc with its grantors.
    public func decisionRights(meeting id: String, scope: Scope, cancellation: Cancellation = .never) throws -> JSONObject {
        let (meeting, convention, holders) = try read { db in
            let meeting = try current(try fetchMeeting(id, scope: scope, db: db), db: db)
            let convention = try fetchConvention(meeting.conventionID, scope: .everything, db: db)
            return (meeting, convention, try decisionRightsHolders(of: convention, db: db))
        }
        let proxies = meeting.status == .cancelled ? [:]
            : Dictionary(meeting.proxies.map { ($0.grantorPartnerID, $0.holderPartnerID) }, uniquingKeysWith: { first, _ in first })
        var result: JSONObject = ["meeting_id": .string(id), "convention_id": .string(convention.id), "revision": .int(Int64(convention.revision))]
        for (key, value) in try DecisionRights.compute(governance: convention.governance, holders: holders, proxies: proxies, cancellation: cancellation) {
            result[key] = value
        }
        return result
    }
}
