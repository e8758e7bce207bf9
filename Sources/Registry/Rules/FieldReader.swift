import JSON

/// Reads typed fields out of a JSON object and collects every fault, so one
/// 422 can list them all. A `null` counts as absent.
struct FieldReader {
    let object: JSONObject
    /// Prepended to field names in errors (`governance.`, `parties[1].`).
    let prefix: String
    private(set) var errors: [FieldError] = []

    /// `allowed` lists the fields this object may carry; any other is reported.
    init(_ object: JSONObject, prefix: String = "", allowed: [String]) {
        self.object = object
        self.prefix = prefix
        for key in object.keys where !allowed.contains(key) {
            errors.append(FieldError(field: prefix + key, message: "unknown field"))
        }
    }

    /// Throws the collected faults, if any.
    func check() throws(RegistryError) {
        if !errors.isEmpty { throw .validation(errors) }
    }

    mutating func fail(_ key: String, _ message: String) {
        errors.append(FieldError(field: prefix + key, message: message))
    }

    mutating func absorb(_ other: [FieldError]) {
        errors.append(contentsOf: other)
    }

    private mutating func value(_ key: String, required: Bool) -> JSON? {
        guard let value = object[key], !value.isNull else {
            if required { fail(key, "required") }
            return nil
        }
        return value
    }

    /// A string of at most `maxLength` characters with no control characters;
    /// `freeText` (descriptions, notes, reasons) may hold tabs and line breaks.
    mutating func string(_ key: String, required: Bool = false, maxLength: Int = 10_000, trimmed: Bool = false, freeText: Bool = false) -> String? {
        guard let value = value(key, required: required) else { return nil }
        guard var text = value.stringValue else {
            fail(key, "must be a string")
            return nil
        }
        if let control = text.firstControlCharacter(allowingLineBreaks: freeText) {
            fail(key, "must not contain control characters (found U+\(control))")
            return nil
        }
        if trimmed { text = text.trimmingWhitespace() }
        if required && text.isEmpty {
            fail(key, "must not be empty")
            return nil
        }
        if text.count > maxLength {
            fail(key, "at most \(maxLength) characters")
            return nil
        }
        return text
    }

    mutating func oneOf(_ key: String, _ allowed: [String], required: Bool = false) -> String? {
        guard let value = value(key, required: required) else { return nil }
        guard let text = value.stringValue, allowed.contains(text) else {
            fail(key, "one of " + allowed.joined(separator: ", "))
            return nil
        }
        return text
    }

    mutating func integer(_ key: String, required: Bool = false, minimum: Int64? = nil, maximum: Int64? = nil) -> Int64? {
        guard let value = value(key, required: required) else { return nil }
        guard let number = value.intValue else {
            fail(key, "must be an integer")
            return nil
        }
        if let minimum, number < minimum {
            fail(key, "must be at least \(minimum)")
            return nil
        }
        if let maximum, number > maximum {
            fail(key, "must be at most \(maximum)")
            return nil
        }
        return number
    }

    mutating func number(_ key: String, required: Bool = false) -> Double? {
        guard let value = value(key, required: required) else { return nil }
        guard let number = value.doubleValue else {
            fail(key, "must be a number")
            return nil
        }
        return number
    }

    mutating func boolean(_ key: String, required: Bool = false) -> Bool? {
        guard let value = value(key, required: required) else { return nil }
        guard let flag = value.boolValue else {
            fail(key, "must be true or false")
            return nil
        }
        return flag
    }

    /// A calendar date `YYYY-MM-DD`.
    mutating func date(_ key: String, required: Bool = false) -> String? {
        guard let text = string(key, required: required) else { return nil }
        guard CalendarDate.isValid(text) else {
            fail(key, "a date as YYYY-MM-DD")
            return nil
        }
        return text
    }

    /// An RFC 3339 instant, returned in UTC as `YYYY-MM-DDTHH:MM:SSZ`.
    mutating func instant(_ key: String, required: Bool = false) -> String? {
        guard let text = string(key, required: required) else { return nil }
        guard let normalized = CalendarDate.normalizedInstant(text) else {
            fail(key, "an RFC 3339 instant such as 2026-11-27T10:15:00Z")
            return nil
        }
        return normalized
    }

    /// The most items a list of words (such as `expertise`) may hold.
    static let maxStringItems = 100
    /// The most items a list of parties, contributions, colleges or their
    /// members may hold: a convention of a thousand parties is still served.
    static let maxObjectItems = 1000

    mutating func stringArray(_ key: String, required: Bool = false, maxLength: Int = 200, maxCount: Int = maxStringItems) -> [String]? {
        guard let value = value(key, required: required) else { return nil }
        guard let items = value.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else {
            fail(key, "must be an array of strings")
            return nil
        }
        if items.count > maxCount {
            fail(key, "at most \(maxCount) items")
            return nil
        }
        let strings = items.compactMap(\.stringValue)
        if strings.contains(where: { $0.count > maxLength }) {
            fail(key, "items of at most \(maxLength) characters")
            return nil
        }
        if let control = strings.lazy.compactMap({ $0.firstControlCharacter(allowingLineBreaks: false) }).first {
            fail(key, "items must not contain control characters (found U+\(control))")
            return nil
        }
        return strings
    }

    mutating func object(_ key: String, required: Bool = false) -> JSONObject? {
        guard let value = value(key, required: required) else { return nil }
        guard let object = value.objectValue else {
            fail(key, "must be an object")
            return nil
        }
        return object
    }

    mutating func array(_ key: String, required: Bool = false, maxCount: Int = maxObjectItems) -> [JSON]? {
        guard let value = value(key, required: required) else { return nil }
        guard let items = value.arrayValue else {
            fail(key, "must be an array")
            return nil
        }
        if items.count > maxCount {
            fail(key, "at most \(maxCount) items")
            return nil
        }
        return items
    }
}

extension String {
    /// The first control character (Unicode category Cc: U+0000–U+001F,
    /// U+007F–U+009F) as four hex digits, or nil; tab, line feed and carriage
    /// return pass when `allowingLineBreaks`.
    func firstControlCharacter(allowingLineBreaks: Bool) -> String? {
        for scalar in unicodeScalars where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
            if allowingLineBreaks && (scalar == "\t" || scalar == "\n" || scalar == "\r") { continue }
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return String(repeating: "0", count: 4 - hex.count) + hex
        }
        return nil
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let c = scalars.first, c.isWhitespace { scalars.removeFirst() }
        while let c = scalars.last, c.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}

/// Checks on calendar dates and instants as text.
public enum CalendarDate {
    /// `YYYY-MM-DD` naming a real day.
    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]),
              (1...12).contains(month), day >= 1
        else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }

    /// An RFC 3339 date-time (`Z` or a numeric offset, optional fraction)
    /// as UTC seconds `YYYY-MM-DDTHH:MM:SSZ`; nil when malformed.
    public static func normalizedInstant(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, isValid(String(decoding: bytes[0..<10], as: UTF8.self)),
              bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let hour = number(bytes[11..<13]), let minute = number(bytes[14..<16]), let second = number(bytes[17..<19]),
              hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            guard index > start, index < bytes.count else { return nil }
        }
        var offsetSeconds = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                  let h = number(bytes[(index + 1)..<(index + 3)]), let m = number(bytes[(index + 4)..<(index + 6)]), h < 24, m < 60
            else { return nil }
            offsetSeconds = (h * 3600 + m * 60) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
        default:
            return nil
        }
        let year = number(bytes[0..<4])!, month = number(bytes[5..<7])!, day = number(bytes[8..<10])!
        let epoch = daysFromCivil(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offsetSeconds
        return Instant(epochSeconds: epoch).timestamp
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Days from 1970-01-01 to a valid `YYYY-MM-DD`.
    public static func dayNumber(_ text: String) -> Int? {
        guard isValid(text) else { return nil }
        let bytes = Array(text.utf8)
        return daysFromCivil(year: number(bytes[0..<4])!, month: number(bytes[5..<7])!, day: number(bytes[8..<10])!)
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in digits {
            guard (0x30...0x39).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }
}
