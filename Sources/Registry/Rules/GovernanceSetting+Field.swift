import Governance

extension GovernanceSetting {
    /// The JSON field a problem with this setting is reported on
    /// (`governance.cap_percent`): field paths belong to the registry's
    /// input, never to the Governance module.
    var field: String {
        switch self {
        case .parties: "parties"
        case .contribution: "parties.contribution_cents"
        case .voting: "governance.voting"
        case .colleges: "governance.colleges"
        case .capPercent: "governance.cap_percent"
        case .floorPercent: "governance.floor_percent"
        case .quorumPercent: "governance.quorum_percent"
        case .quorumMembersPercent: "governance.quorum_members_percent"
        case .majority: "governance.majority"
        case .vetoPartnerIDs: "governance.veto_partner_ids"
        }
    }
}
