import Governance
import JSON

extension Registry {
    /// `GET /v1/meetings/{id}/decision-rights`: §6's answer for the game in
    /// which each proxy holder votes as one bloc with its grantors.
    public func decisionRights(meeting id: String, scope: Scope, cancellation: Cancellation = .never) throws -> DecisionRightsAnswer {
        let (meeting, convention, holders) = try read { db in
            let meeting = try current(try fetchMeeting(id, scope: scope, db: db), db: db)
            let convention = try fetchConvention(meeting.conventionID, scope: .everything, db: db)
            return (meeting, convention, try decisionRightsHolders(of: convention, db: db))
        }
        let proxies = meeting.status == .cancelled ? [:]
            : Dictionary(meeting.proxies.map { ($0.grantorPartnerID, $0.holderPartnerID) }, uniquingKeysWith: { first, _ in first })
        var answer = try DecisionRights.compute(governance: convention.governance, holders: holders, proxies: proxies, cancellation: cancellation)
        answer.meetingID = id
        answer.conventionID = convention.id
        answer.revision = convention.revision
        return answer
    }
}
