/// One schema migration: a numbered SQL script, usually a `NNNN_name.sql` file.
public struct Migration: Sendable, Hashable {
    /// The number that orders migrations and is recorded once applied.
    public let version: Int
    /// The descriptive part of the file name (`0003_add_index.sql` → `add_index`).
    public let name: String
    /// The SQL script; it may hold several statements. It runs inside a
    /// transaction, so it must not contain `BEGIN`/`COMMIT` itself.
    public let sql: String
    /// The file the migration came from, used in error messages.
    public let fileName: String

    /// Creates a migration; `fileName` defaults to `NNNN_name.sql`.
    public init(version: Int, name: String, sql: String, fileName: String? = nil) {
        self.version = version
        self.name = name
        self.sql = sql
        let digits = String(version)
        self.fileName = fileName ?? String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "_\(name).sql"
    }

    /// A stable fingerprint of the script's UTF-8 bytes (the file's bytes):
    /// 64-bit FNV-1a, as 16 lowercase hex digits. It detects edits to an
    /// applied migration; it is not a cryptographic hash.
    public var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a 64-bit offset basis
        for byte in sql.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3  // FNV-1a 64-bit prime
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
