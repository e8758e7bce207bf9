/// A value as SQLite stores it: one of its five storage classes.
///
/// Values read from a row are copied out of SQLite, so a `SQLiteValue` is an
/// ordinary Swift value that can cross threads.
public enum SQLiteValue: Sendable, Hashable {
    /// SQL `NULL`.
    case null
    /// A signed 64-bit integer (`INTEGER` storage class).
    case integer(Int64)
    /// An IEEE 754 double (`REAL` storage class).
    case real(Double)
    /// UTF-8 text (`TEXT` storage class). May contain NUL characters.
    case text(String)
    /// Raw bytes (`BLOB` storage class). An empty array is an empty blob, not `NULL`.
    case blob([UInt8])
}
