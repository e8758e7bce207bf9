extension GovernanceRules {
    /// Every impossible setting of §6 for these parties, all at once (empty when valid).
    ///
    /// Proportional voting where every pledge is zero is reported as an error
    /// on `.voting` rather than silently treated as equal voting:
    /// the parties should choose `equal` explicitly.
    public func validate(for parties: [Party]) -> [GovernanceError] {
        var problems: [GovernanceError] = []
        func report(_ setting: GovernanceSetting, _ message: String) {
            problems.append(GovernanceError(setting: setting, message: message))
        }
        let hundred = Rational(100)
        let partyCount = Rational(parties.count)
        let partyIDs = Set(parties.map(\.id))

        if partyIDs.count != parties.count {
            report(.parties, "party ids must be unique")
        }
        if parties.contains(where: { $0.contributionCents < 0 }) {
            report(.contribution, "contributions cannot be negative")
        }

        func checkPercent(_ value: Rational?, _ setting: GovernanceSetting) -> Bool {
            guard let value else { return false }
            if value < .zero || hundred < value {
                report(setting, "must be between 0 and 100")
                return false
            }
            return true
        }
        if checkPercent(capPercent, .capPercent), let cap = capPercent, cap * partyCount < hundred {
            report(.capPercent, "cap × parties is below 100: the shares cannot all fit under the cap")
        }
        if checkPercent(floorPercent, .floorPercent), let floor = floorPercent, hundred < floor * partyCount {
            report(.floorPercent, "floor × parties is above 100: every party cannot reach the floor")
        }
        _ = checkPercent(quorumPercent, .quorumPercent)
        _ = checkPercent(quorumMembersPercent, .quorumMembersPercent)

        if case .percent(let value) = majority, !(Rational(50) < value && !(hundred < value)) {
            report(.majority, "a numeric majority must be above 50 and at most 100")
        }

        for vetoID in vetoPartnerIDs where !partyIDs.contains(vetoID) {
            report(.vetoPartnerIDs, "\(vetoID) is not a party")
        }

        switch voting {
        case .equal:
            break
        case .proportional:
            if !parties.isEmpty && parties.allSatisfy({ $0.contributionCents == 0 }) {
                report(.voting, "proportional voting needs at least one positive pledged contribution")
            }
        case .colleges(let colleges):
            validateColleges(colleges, partyIDs: partyIDs, parties: parties, report: report)
        }
        return problems
    }

    private func validateColleges(_ colleges: [College], partyIDs: Set<String>, parties: [Party],
                                  report: (GovernanceSetting, String) -> Void) {
        let hundred = Rational(100)
        var collegeOfParty: [String: String] = [:]
        for college in colleges {
            if college.weightPercent < .zero || hundred < college.weightPercent {
                report(.colleges, "college \(college.name): weight_percent must be between 0 and 100")
            }
            if college.partnerIDs.isEmpty && !college.weightPercent.isZero {
                report(.colleges, "college \(college.name) has weight but no members")
            }
            for member in college.partnerIDs {
                if !partyIDs.contains(member) {
                    report(.colleges, "\(member) in college \(college.name) is not a party")
                } else if let other = collegeOfParty[member] {
                    report(.colleges, "\(member) is in two colleges (\(other) and \(college.name))")
                } else {
                    collegeOfParty[member] = college.name
                }
            }
        }
        if colleges.map(\.weightPercent).sum() != hundred {
            report(.colleges, "college weights must sum to 100")
        }
        for party in parties where collegeOfParty[party.id] == nil {
            report(.colleges, "\(party.id) is in no college")
        }
    }
}
