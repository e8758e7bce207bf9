import Dispatch
import Governance
import JSON

/// Serialises power-index computations (see `DecisionRights.computing`).
private let computingSlot = DispatchSemaphore(value: 1)

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
        let game = try ActiveGame(governance: governance, holders: holders)
        let power = try computing(cancellation) { cancellation in
            try powerIndices(shares: game.shares, majority: game.rules.majority, vetoIndices: game.vetoIndices, cancellation: cancellation)
        }
        let entries = game.active.indices.map { PartyPower(share: game.shares[$0], power: power, player: $0) }
        return answer(governance: governance, holders: holders, power: power, entries: entries, showsProxies: false)
    }

    /// The same answer for a meeting (API.md §13), where each proxy holder
    /// votes as one bloc with its grantors: the holder's entry carries its
    /// bloc's power, a grantor's none (its vote is the holder's to cast), and
    /// `blocs` lists every bloc. `proxies` maps grantors to holders.
    public static func compute(governance: JSONObject, holders: [Holder], proxies: [String: String],
                               cancellation: Cancellation = .never) throws(RegistryError) -> JSONObject {
        let game = try ActiveGame(governance: governance, holders: holders)
        let position = Dictionary(uniqueKeysWithValues: game.active.enumerated().map { ($1.id, $0) })
        let grantors = Set(proxies.keys.filter { position[$0] != nil && proxies[$0].flatMap { position[$0] } != nil })
        let blocs: [[Int]] = game.active.indices.compactMap { index in
            let id = game.active[index].id
            guard !grantors.contains(id) else { return nil }
            return [index] + game.active.indices.filter { grantors.contains(game.active[$0].id) && proxies[game.active[$0].id] == id }
        }
        let power = try computing(cancellation) { cancellation in
            try powerIndices(shares: game.shares, blocs: blocs, majority: game.rules.majority, vetoIndices: game.vetoIndices, cancellation: cancellation)
        }
        let blocOf = Dictionary(uniqueKeysWithValues: blocs.enumerated().flatMap { bloc, members in members.map { ($0, bloc) } })
        let entries = game.active.indices.map { index in
            grantors.contains(game.active[index].id)
                ? PartyPower(share: game.shares[index], proxyHolder: proxies[game.active[index].id])
                : PartyPower(share: game.shares[index], power: power, player: blocOf[index]!)
        }
        var result = answer(governance: governance, holders: holders, power: power, entries: entries, showsProxies: true)
        result["blocs"] = .array(blocs.enumerated().map { bloc, members in
            .object([
                "holder_partner_id": .string(game.active[members[0]].id),
                "partner_ids": .array(members.map { .string(game.active[$0].id) }),
                "weight": .double(members.reduce(Rational.zero) { $0 + game.shares[$1] }.doubleValue),
                "banzhaf": .double(power.banzhaf[bloc]), "shapley_shubik": .double(power.shapleyShubik[bloc]),
            ])
        })
        return result
    }

    /// The parties that are not defaulting, their shares and the rules among them.
    private struct ActiveGame {
        let rules: GovernanceRules
        let active: [Holder]
        let shares: [Rational]
        let vetoIndices: Set<Int>

        init(governance: JSONObject, holders: [Holder]) throws(RegistryError) {
            rules = GovernanceSettings.rules(governance)
            active = holders.filter { !$0.defaulting }
            let activeRules = rules.excluding(Set(holders.filter(\.defaulting).map(\.id)))
            do {
                shares = try Governance.shares(of: active.map { Party(id: $0.id, contributionCents: $0.contributionCents) }, under: activeRules)
            } catch {
                throw .conflict("The governance cannot give shares to the parties that are not defaulting: \(error)")
            }
            let active = self.active
            vetoIndices = Set(active.indices.filter { activeRules.vetoPartnerIDs.contains(active[$0].id) })
        }
    }

    /// One computation at a time: a large exact game can take seconds and
    /// gigabytes, and concurrent ones must not multiply that.
    private static func computing(_ cancellation: Cancellation, _ body: (Cancellation) throws -> PowerIndices) throws(RegistryError) -> PowerIndices {
        computingSlot.wait()
        defer { computingSlot.signal() }
        do {
            return try body(cancellation)
        } catch is ComputationCancelled {
            throw .abandoned
        } catch let error as TooManyBlocs {
            throw .conflict("A double majority is counted exactly for at most \(maxEnumeratedBlocs) blocs; this meeting has \(error.count).")
        } catch {
            throw .conflict("The power indices could not be computed: \(error)")
        }
    }

    /// What a non-defaulting party's entry shows.
    private struct PartyPower {
        var share: Rational
        var banzhaf = 0.0, shapleyShubik = 0.0
        var swings: JSON = 0
        var veto = false, dummy = true
        var proxyHolder: String?

        init(share: Rational, proxyHolder: String?) {
            self.share = share
            self.proxyHolder = proxyHolder
        }

        init(share: Rational, power: PowerIndices, player i: Int) {
            self.share = share
            banzhaf = power.banzhaf[i]
            shapleyShubik = power.shapleyShubik[i]
            swings = power.swings[i].uint64Value.flatMap { Int64(exactly: $0) }.map(JSON.int) ?? .double(power.swings[i].doubleValue)
            veto = power.veto[i]
            dummy = power.dummy[i]
        }
    }

    /// The JSON answer; at a meeting (`showsProxies`) each entry also names
    /// the holder of the party's proxy (null when it votes itself).
    private static func answer(governance: JSONObject, holders: [Holder], power: PowerIndices, entries: [PartyPower], showsProxies: Bool) -> JSONObject {
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
                let party = entries[activeIndex]
                activeIndex += 1
                entry["weight"] = .double(party.share.doubleValue)
                entry["banzhaf"] = .double(party.banzhaf)
                entry["shapley_shubik"] = .double(party.shapleyShubik)
                entry["swings"] = party.swings
                entry["veto"] = .bool(party.veto)
                entry["dummy"] = .bool(party.dummy)
                entry["defaulting"] = false
            }
            if showsProxies { entry["proxy_holder_partner_id"] = holder.defaulting ? .null : entries[activeIndex - 1].proxyHolder.json }
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
