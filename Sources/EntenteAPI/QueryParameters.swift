import HTTPServer
import Registry

/// The decoded `name=value` pairs of a query string (`+` as space, `%XX` as UTF-8).
///
/// Every parameter of this API takes one value, so a name given twice is
/// refused rather than silently read as its first value; so is a pair whose
/// percent-encoding is broken or does not decode to UTF-8.
struct QueryParameters {
    private var values: [String: String] = [:]

    init(_ query: Substring?) throws(APIError) {
        guard let query else { return }
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentEncoding.decode(parts[0], plusAsSpace: true), let value = parts.count > 1 ? PercentEncoding.decode(parts[1], plusAsSpace: true) : "" else {
                throw .badRequest("The query string is not valid percent-encoded UTF-8.",
                                  errors: [FieldError(field: String(parts[0].prefix(100)), message: "not valid percent-encoded UTF-8")])
            }
            guard values[name] == nil else {
                throw .badRequest("\(name) is given more than once.", errors: [FieldError(field: name, message: "given more than once")])
            }
            values[name] = value
        }
    }

    subscript(name: String) -> String? { values[name] }
}
