import Governance
import JSON

/// The JSON side of a convention's `governance` (API.md §6): checked field by
/// field, completed with defaults, and turned into the Governance module's rules.
public enum GovernanceSettings {
    static let fields = [
        "voting", "cap_percent", "floor_percent", "colleges", "quorum_percent", "quorum_members_percent", "majority", "veto_partner_ids",
        "meeting_notice_days", "max_proxies_per_holder", "minutes_objection_days",
    ]
    static let majorityNames = ["simple", "absolute", "two_thirds", "three_quarters", "unanimity", "double_majority"]

    /// The normalized governance object (defaults filled in); faults go to `reader`,
    /// the impossible settings of §6 included.
    static func validate(_ object: JSONObject, parties: [Party], reader: inout FieldReader) -> JSONObject {
        var errors: [FieldError] = []
        let (normalized, rules) = parse(object, errors: &errors)
        if let rules, errors.isEmpty {
            errors += rules.validate(for: parties).map { FieldError(field: $0.setting.field, message: $0.message) }
        }
        reader.absorb(errors)
        return normalized
    }

    /// The governance among the parties left when `absent` ones are set aside:
    /// defaulting parties lose their vote, their veto and their college seat.
    static func excluding(_ absent: Set<String>, from governance: JSONObject) -> JSONObject {
        guard !absent.isEmpty else { return governance }
        var result = governance
        if let vetoes = governance["veto_partner_ids"]?.arrayValue {
            result["veto_partner_ids"] = .array(vetoes.filter { !absent.contains($0.stringValue ?? "") })
        }
        if let colleges = governance["colleges"]?.arrayValue {
            result["colleges"] = .array(colleges.map { college in
                guard var object = college.objectValue, let members = object["partner_ids"]?.arrayValue else { return college }
                object["partner_ids"] = .array(members.filter { !absent.contains($0.stringValue ?? "") })
                return .object(object)
            })
        }
        return result
    }

    /// The rules of a stored (already valid) governance object.
    public static func rules(_ object: JSONObject) -> GovernanceRules {
        var ignored: [FieldError] = []
        return parse(object, errors: &ignored).rules ?? GovernanceRules(voting: .equal)
    }

    /// Validates a governance object for a set of parties (simulation): the
    /// rules, or every fault.
    public static func rules(_ object: JSONObject, parties: [Party]) throws(RegistryError) -> (rules: GovernanceRules, normalized: JSONObject) {
        var reader = FieldReader([:], allowed: [])
        let normalized = validate(object, parties: parties, reader: &reader)
        try reader.check()
        return (rules(normalized), normalized)
    }

    private static func parse(_ object: JSONObject, errors: inout [FieldError]) -> (normalized: JSONObject, rules: GovernanceRules?) {
        var reader = FieldReader(object, prefix: "governance.", allowed: fields)
        let votingName = reader.oneOf("voting", ["equal", "proportional", "colleges"]) ?? "equal"
        let cap = percent(object["cap_percent"], "cap_percent", &reader)
        let floor = percent(object["floor_percent"], "floor_percent", &reader)
        let quorum = percent(object["quorum_percent"], "quorum_percent", &reader)
        let quorumMembers = percent(object["quorum_members_percent"], "quorum_members_percent", &reader)
        var majority = MajorityRule.simple
        var majorityJSON: JSON = "simple"
        switch object["majority"] {
        case nil, .null?: break
        case .string(let name)?:
            if let rule = MajorityRule(name: name) {
                majority = rule
                majorityJSON = .string(name)
            } else {
                reader.fail("majority", "one of \(majorityNames.joined(separator: ", ")), or a number above 50 and at most 100")
            }
        case let number? where number.doubleValue != nil:
            if let value = rational(number) {
                majority = .percent(value)
                majorityJSON = number
            } else {
                reader.fail("majority", "a number above 50 and at most 100")
            }
        default:
            reader.fail("majority", "one of \(majorityNames.joined(separator: ", ")), or a number above 50 and at most 100")
        }
        let vetoes = reader.stringArray("veto_partner_ids", maxCount: FieldReader.maxObjectItems) ?? []
        var meetings = MeetingRules()
        for field in MeetingRules.fields {
            if let value = reader.integer(field.name, minimum: Int64(field.range.lowerBound), maximum: Int64(field.range.upperBound)) {
                meetings[keyPath: field.path] = Int(value)
            }
        }
        var colleges: [College] = []
        var collegesJSON: [JSON] = []
        if votingName == "colleges" {
            for (index, item) in (reader.array("colleges", required: true) ?? []).enumerated() {
                guard let college = item.objectValue else {
                    reader.fail("colleges[\(index)]", "must be an object")
                    continue
                }
                var inner = FieldReader(college, prefix: "governance.colleges[\(index)].", allowed: ["name", "weight_percent", "partner_ids"])
                let name = inner.string("name", required: true, maxLength: 200)
                let weight = percent(college["weight_percent"], "weight_percent", &inner, required: true)
                let members = inner.stringArray("partner_ids", required: true, maxCount: FieldReader.maxObjectItems)
                reader.absorb(inner.errors)
                if let name, let weight, let members {
                    colleges.append(College(name: name, weightPercent: weight, partnerIDs: members))
                    collegesJSON.append(["name": .string(name), "weight_percent": college["weight_percent"]!, "partner_ids": .array(members.map(JSON.string))])
                }
            }
        } else if object["colleges"].map({ !$0.isNull && $0 != .array([]) }) ?? false {
            reader.fail("colleges", "only with voting colleges")
        }
        errors += reader.errors
        let voting: VotingModel = votingName == "proportional" ? .proportional : votingName == "colleges" ? .colleges(colleges) : .equal
        var normalized: JSONObject = [
            "voting": .string(votingName),
            "cap_percent": object["cap_percent"] ?? .null, "floor_percent": object["floor_percent"] ?? .null,
            "colleges": .array(collegesJSON),
            "quorum_percent": object["quorum_percent"]?.nonNull ?? 0,
            "quorum_members_percent": object["quorum_members_percent"]?.nonNull ?? 0,
            "majority": majorityJSON,
            "veto_partner_ids": .array(vetoes.map(JSON.string)),
        ]
        for (name, value) in meetings.json { normalized[name] = value }
        let rules = GovernanceRules(voting: voting, capPercent: cap, floorPercent: floor, quorumPercent: quorum ?? .zero,
                                    quorumMembersPercent: quorumMembers ?? .zero, majority: majority, vetoPartnerIDs: vetoes)
        return (normalized, rules)
    }

    private static func percent(_ value: JSON?, _ key: String, _ reader: inout FieldReader, required: Bool = false) -> Rational? {
        guard let value, !value.isNull else {
            if required { reader.fail(key, "required") }
            return nil
        }
        guard let rational = rational(value), !(rational < .zero), !(Rational(100) < rational) else {
            reader.fail(key, "a number from 0 to 100")
            return nil
        }
        return rational
    }

    /// A JSON number as an exact fraction (a decimal's shortest text, so 66.67 is 6667/100).
    static func rational(_ value: JSON) -> Rational? {
        switch value {
        case .int(let n): return Rational(Int(n))
        case .double(let d) where d.isFinite: return Rational(decimal: "\(d)")
        default: return nil
        }
    }
}
