import Dispatch
import Governance
import JSON

/// Serialises power-index computations (see `DecisionRights.compute`).
private let computing = DispatchSemaphore(value: 1)

/// The decision rights a governance gives each party (API.md §6): its share of
/// the weight and its power indices in the voting game of the majority rule.
public enum DecisionRights {
    /// One party as the computation sees it.
    public struct Holder: Sendable {
        public let id: String
        public let name: String?
        public let contributionCents: Int64
        public let defaulting: Bool

        public init(id: String, name: String?, contributionCents: Int64, defaulting: Bool = false) {
            self.id = id
            self.name = name
            self.contributionCents = contributionCents
            self.defaulting = defaulting
        }
    }

    /// `{voting, majority, quota, method, partners: [...], error_bound?}`; defaulting
    /// holders weigh nothing and hold no veto.
    public static func compute(governance: JSONObject, holders: [Holder], cancellation: Cancellation = .never) throws(RegistryError) -> JSONObject {
        let rules = GovernanceSettings.rules(governance)
        let active = holders.filter { !$0.defaulting }
        let activeRules = rules.excluding(Set(holders.filter(\.defaulting).map(\.id)))
        let shares: [Rational]
        do {
            shares = try Governance.shares(of: active.map { Party(id: $0.id, contributionCents: $0.contributionCents) }, under: activeRules)
        } catch {
            throw .conflict("The governance cannot give shares to the parties that are not defaulting: \(error)")
        }
        let vetoIndices = Set(active.indices.filter { activeRules.vetoPartnerIDs.contains(active[$0].id) })
        // One computation at a time: a large exact game can take seconds and
        // gigabytes, and concurrent ones must not multiply that.
        computing.wait()
        defer { computing.signal() }
        let power: PowerIndices
        do {
            power = try powerIndices(shares: shares, majority: rules.majority, vetoIndices: vetoIndices, cancellation: cancellation)
        } catch {
            throw .abandoned
        }
        var partners: [JSON] = []
        var activeIndex = 0
        for holder in holders {
            var entry: JSONObject = ["partner_id": .string(holder.id)]
            entry["name"] = holder.name.json
            entry["contribution_cents"] = .int(holder.contributionCents)
            if holder.defaulting {
                entry["weight"] = 0; entry["banzhaf"] = 0; entry["shapley_shubik"] = 0; entry["swings"] = 0
                entry["veto"] = false; entry["dummy"] = true; entry["defaulting"] = true
            } else {
                let i = activeIndex
                activeIndex += 1
                entry["weight"] = .double(shares[i].doubleValue)
                entry["banzhaf"] = .double(power.banzhaf[i])
                entry["shapley_shubik"] = .double(power.shapleyShubik[i])
                entry["swings"] = power.swings[i].uint64Value.flatMap { Int64(exactly: $0) }.map(JSON.int) ?? .double(power.swings[i].doubleValue)
                entry["veto"] = .bool(power.veto[i])
                entry["dummy"] = .bool(power.dummy[i])
                entry["defaulting"] = false
            }
            partners.append(.object(entry))
        }
        var result: JSONObject = [
            "voting": governance["voting"] ?? "equal", "majority": governance["majority"] ?? "simple",
            "quota": .double(power.quota.doubleValue), "method": .string(power.method.rawValue), "partners": .array(partners),
        ]
        if let bound = power.errorBound { result["error_bound"] = .double(bound) }
        return result
    }
}

extension GovernanceRules {
    /// The rules among the parties left when `absent` ones are set aside
    /// (defaulting parties lose their vote and their veto).
    func excluding(_ absent: Set<String>) -> GovernanceRules {
        guard !absent.isEmpty else { return self }
        var rules = self
        rules.vetoPartnerIDs.removeAll { absent.contains($0) }
        if case .colleges(let colleges) = voting {
            rules.voting = .colleges(colleges.map { College(name: $0.name, weightPercent: $0.weightPercent, partnerIDs: $0.partnerIDs.filter { !absent.contains($0) }) })
        }
        return rules
    }
}
