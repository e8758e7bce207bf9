extension GovernanceRules {
    /// Every impossible setting of §6 for these parties, all at once (empty when valid).
    ///
    /// Proportional voting where every pledge is zero is reported as an error
    /// on "governance.voting" rather than silently treated as equal voting:
    /// the parties should choose `equal` explicitly.
    public func validate(for parties: [Party]) -> [GovernanceError] {
        var problems: [GovernanceError] = []
        func report(_ field: String, _ message: String) {
            problems.append(GovernanceError(field: field, message: message))
        }
        let hundred = Rational(100)
        let partyCount = Rational(parties.count)
        let partyIDs = Set(parties.map(\.id))

        if partyIDs.count != parties.count {
            report("parties", "party ids must be unique")
        }
        if parties.contains(where: { $0.contributionCents < 0 }) {
            report("parties.contribution_cents", "contributions cannot be negative")
        }

        func checkPercent(_ value: Rational?, _ field: String) -> Bool {
            guard let value else { return false }
            if value < .zero || hundred < value {
                report(field, "must be between 0 and 100")
                return false
            }
            return true
        }
        if checkPercent(capPercent, "governance.cap_percent"), let cap = capPercent, cap * partyCount < hundred {
            report("governance.cap_percent", "cap × parties is below 100: the shares cannot all fit under the cap")
        }
        if checkPercent(floorPercent, "governance.floor_percent"), let floor = floorPercent, hundred < floor * partyCount {
            report("governance.floor_percent", "floor × parties is above 100: every party cannot reach the floor")
        }
        _ = checkPercent(quorumPercent, "governance.quorum_percent")
        _ = checkPercent(quorumMembersPercent, "governance.quorum_members_percent")

        if case .percent(let value) = majority, !(Rational(50) < value && !(hundred < value)) {
            report("governance.majority", "a numeric majority must be above 50 and at most 100")
        }

        for vetoID in vetoPartnerIDs where !partyIDs.contains(vetoID) {
            report("governance.veto_partner_ids", "\(vetoID) is not a party")
        }

        switch voting {
        case .equal:
            break
        case .proportional:
            if !parties.isEmpty && parties.allSatisfy({ $0.contributionCents == 0 }) {
                report("governance.voting", "proportional voting needs at least one positive pledged contribution")
            }
        case .colleges(let colleges):
            validateColleges(colleges, partyIDs: partyIDs, parties: parties, report: report)
        }
        return problems
    }

    private func validateColleges(_ colleges: [College], partyIDs: Set<String>, parties: [Party],
                                  report: (String, String) -> Void) {
        let hundred = Rational(100)
        var collegeOfParty: [String: String] = [:]
        for college in colleges {
            if college.weightPercent < .zero || hundred < college.weightPercent {
                report("governance.colleges", "college \(college.name): weight_percent must be between 0 and 100")
            }
            if college.partnerIDs.isEmpty && !college.weightPercent.isZero {
                report("governance.colleges", "college \(college.name) has weight but no members")
            }
            for member in college.partnerIDs {
                if !partyIDs.contains(member) {
                    report("governance.colleges", "\(member) in college \(college.name) is not a party")
                } else if let other = collegeOfParty[member] {
                    report("governance.colleges", "\(member) is in two colleges (\(other) and \(college.name))")
                } else {
                    collegeOfParty[member] = college.name
                }
            }
        }
        if colleges.map(\.weightPercent).sum() != hundred {
            report("governance.colleges", "college weights must sum to 100")
        }
        for party in parties where collegeOfParty[party.id] == nil {
            report("governance.colleges", "\(party.id) is in no college")
        }
    }
}
