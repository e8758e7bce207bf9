/// A JSON value (RFC 8259).
///
/// Numbers keep the distinction the parser makes: an integer literal (no fraction,
/// no exponent) that fits `Int64` is `.int`; every other number is `.double`.
/// Equality is structural; `.int(1)` and `.double(1)` are different values, and
/// objects compare equal regardless of key order (see `JSONObject`).
public enum JSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSON])
    case object(JSONObject)
}
