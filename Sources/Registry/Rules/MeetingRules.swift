import JSON

/// The governance fields that rule a convention's meetings (API.md §13).
/// Texts agreed before these fields existed do not carry them and read as
/// the defaults; every text written since carries all three.
public struct MeetingRules: Sendable, Equatable {
    /// A meeting starts at least this many days after it is convened.
    public var noticeDays = 0
    /// How many grantors one holder may represent.
    public var maxProxiesPerHolder = 1
    /// Days after publication during which a party may object to the minutes.
    public var minutesObjectionDays = 15

    public init() {}

    /// Each field's name in `governance` and its allowed range.
    static let ranges: [(name: String, range: ClosedRange<Int>)] = [
        ("meeting_notice_days", 0...365), ("max_proxies_per_holder", 0...10), ("minutes_objection_days", 0...90),
    ]

    /// The field named `name` in `governance`.
    subscript(name: String) -> Int {
        get {
            switch name {
            case "meeting_notice_days": noticeDays
            case "max_proxies_per_holder": maxProxiesPerHolder
            default: minutesObjectionDays
            }
        }
        set {
            switch name {
            case "meeting_notice_days": noticeDays = newValue
            case "max_proxies_per_holder": maxProxiesPerHolder = newValue
            default: minutesObjectionDays = newValue
            }
        }
    }

    /// The rules of a stored governance object (validated when written).
    init(governance: JSONObject) {
        for (name, _) in Self.ranges {
            if let value = governance[name]?.intValue { self[name] = Int(value) }
        }
    }

    /// The three fields as a normalized governance carries them.
    var json: JSONObject {
        JSONObject(Self.ranges.map { ($0.name, JSON.int(Int64(self[$0.name]))) })
    }
}
