import JSON

/// The error `JSON.parse` throws for `bytes`, or `nil` if it succeeds.
func parseError(_ bytes: [UInt8]) -> JSONParseError? {
    do {
        _ = try JSON.parse(bytes)
        return nil
    } catch {
        return error
    }
}

/// The error `JSON.parse` throws for `text`, or `nil` if it succeeds.
func parseError(_ text: String) -> JSONParseError? {
    parseError(Array(text.utf8))
}

/// Whether `value` is a `.double` whose sign bit is set.
func isNegativeDouble(_ value: JSON?) -> Bool {
    if case .double(let double)? = value { double.sign == .minus } else { false }
}
