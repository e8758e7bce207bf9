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

    /// Each field: its name in `governance`, its allowed range, where it goes.
    /// (Computed: a stored static of key paths is not `Sendable`.)
    static var fields: [(name: String, range: ClosedRange<Int>, path: WritableKeyPath<MeetingRules, Int>)] {
        [("meeting_notice_days", 0...365, \.noticeDays), ("max_proxies_per_holder", 0...10, \.maxProxiesPerHolder),
         ("minutes_objection_days", 0...90, \.minutesObjectionDays)]
    }

    /// The rules of a stored governance object (validated when written).
    init(governance: JSONObject) {
        for field in Self.fields {
            if let value = governance[field.name]?.intValue { self[keyPath: field.path] = Int(value) }
        }
    }

    /// The three fields as a normalized governance carries them.
    var json: JSONObject {
        JSONObject(Self.fields.map { ($0.name, JSON.int(Int64(self[keyPath: $0.path]))) })
    }
}
