/// The setting of the governance rules a problem is about. Governance knows
/// its own rules, not how a caller spells them: the registry maps each to the
/// JSON field at fault.
public enum GovernanceSetting: Sendable, Hashable, CaseIterable {
    /// The list of parties (ids must be unique).
    case parties
    /// A party's pledged contribution.
    case contribution
    case voting
    case colleges
    case capPercent
    case floorPercent
    case quorumPercent
    case quorumMembersPercent
    case majority
    case vetoPartnerIDs
}

/// One impossible governance setting and why, for the `errors` of a 422 problem.
public struct GovernanceError: Error, Sendable, Hashable {
    public var setting: GovernanceSetting
    public var message: String

    public init(setting: GovernanceSetting, message: String) {
        self.setting = setting
        self.message = message
    }
}

/// Every problem found in a governance setting, thrown when shares cannot be computed.
public struct GovernanceValidationError: Error, Sendable, Hashable {
    public var problems: [GovernanceError]
}
