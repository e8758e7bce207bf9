/// One impossible governance setting, named by the JSON field at fault
/// (e.g. "governance.cap_percent"), ready for the `errors` of a 422 problem.
public struct GovernanceError: Error, Sendable, Hashable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// Every problem found in a governance setting, thrown when shares cannot be computed.
public struct GovernanceValidationError: Error, Sendable, Hashable {
    public var problems: [GovernanceError]
}
