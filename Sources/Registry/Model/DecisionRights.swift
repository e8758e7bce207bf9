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

    /// Each party's share and power under the governance; defaulting
    /// holders weigh nothing and hold no veto.
    public static func compute(governance: JSONObject, holders: [Holder], cancellation: Cancellation = .never) throws(RegistryError) -> DecisionRightsAnswer {
        let game = try ActiveGame(governance: governance, holders: holders)
        let power = try computing(cancellation) { cancellation in
            try powerIndices(shares: game.shares, majority: game.rules.majority, vetoIndices: game.vetoIndices, cancellation: cancellation)
        }
        let entries = game.active.indices.map { PartyPower(share: game.shares[$0], power: power, player: $0) }
        return answer(governance: governance, holders: holders, power: power, entries: entries, blocs: nil)
    }

    /// The same answer for a meeting (API.md §13), where each proxy holder
    /// votes as one bloc with its grantors: the holder's entry carries its
    /// bloc's power, a grantor's none (its vote is the holder's to cast), and
    /// `blocs` lists every bloc. `proxies` maps grantors to holders.
    public static func compute(governance: JSONObject, holders: [Holder], proxies: [String: String],
                               cancellation: Cancellation = .never) throws(RegistryError) -> DecisionRightsAnswer {
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
        let blocRights = blocs.enumerated().map { bloc, members in
            DecisionRightsAnswer.Bloc(holderPartnerID: game.active[members[0]].id, partnerIDs: members.map { game.active[$0].id },
                                      weight: members.reduce(Rational.zero) { $0 + game.shares[$1] },
                                      banzhaf: power.banzhaf[bloc], shapleyShubik: power.shapleyShubik[bloc])
        }
        return answer(governance: governance, holders: holders, power: power, entries: entries, blocs: blocRights)
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
        var swings = BigUInt()
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
            swings = power.swings[i]
            veto = power.veto[i]
            dummy = power.dummy[i]
        }
    }

    private static func answer(governance: JSONObject, holders: [Holder], power: PowerIndices, entries: [PartyPower],
                               blocs: [DecisionRightsAnswer.Bloc]?) -> DecisionRightsAnswer {
        var active = entries.makeIterator()
        let parties = holders.map { holder in
            let party = holder.defaulting ? nil : active.next()
            return DecisionRightsAnswer.Party(
                partnerID: holder.id, name: holder.name, contributionCents: holder.contributionCents, weight: party?.share ?? .zero,
                banzhaf: party?.banzhaf ?? 0, shapleyShubik: party?.shapleyShubik ?? 0, swings: party?.swings ?? BigUInt(),
                veto: party?.veto ?? false, dummy: party?.dummy ?? true, defaulting: holder.defaulting, proxyHolderPartnerID: party?.proxyHolder)
        }
        return DecisionRightsAnswer(voting: governance["voting"] ?? "equal", majority: governance["majority"] ?? "simple", quota: power.quota,
                                    method: power.method, errorBound: power.errorBound, partners: parties, blocs: blocs)
    }
}

/// What a governance gives each party (API.md §6), and at a meeting (§13)
/// each bloc of a proxy holder with its grantors. The API presents it.
public struct DecisionRightsAnswer: Sendable {
    /// One party: its share of the weight and its power.
    public struct Party: Sendable {
        public let partnerID: String
        public let name: String?
        public let contributionCents: Int64
        /// 0 for a defaulting party.
        public let weight: Rational
        public let banzhaf: Double
        public let shapleyShubik: Double
        /// Raw Banzhaf swings (a grantor's are its holder's, so 0 here).
        public let swings: BigUInt
        public let veto: Bool
        public let dummy: Bool
        public let defaulting: Bool
        /// At a meeting, the holder who casts this party's vote.
        public let proxyHolderPartnerID: String?
    }

    /// A proxy holder and its grantors, voting as one (a lone party is a bloc of one).
    public struct Bloc: Sendable {
        public let holderPartnerID: String
        public let partnerIDs: [String]
        public let weight: Rational
        public let banzhaf: Double
        public let shapleyShubik: Double
    }

    /// The voting model and majority rule as the governance writes them.
    public let voting: JSON
    public let majority: JSON
    /// The smallest weight share of a winning coalition.
    public let quota: Rational
    public let method: PowerIndices.Method
    /// When `approximate`: the largest possible absolute error of any index.
    public let errorBound: Double?
    public let partners: [Party]
    /// At a meeting only.
    public let blocs: [Bloc]?
    /// The convention (nil for a simulation) and the revision its text is at.
    public var conventionID: String?
    public var revision: Int?
    /// The meeting whose proxies make the blocs.
    public var meetingID: String?

    init(voting: JSON, majority: JSON, quota: Rational, method: PowerIndices.Method, errorBound: Double?, partners: [Party], blocs: [Bloc]?) {
        self.voting = voting
        self.majority = majority
        self.quota = quota
        self.method = method
        self.errorBound = errorBound
        self.partners = partners
        self.blocs = blocs
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
