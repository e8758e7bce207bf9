import CCrypto

/// Comparisons whose duration does not depend on where the inputs differ,
/// so that an attacker timing answers learns nothing about a secret.
public enum ConstantTime {
    /// Whether `a` and `b` hold the same bytes (lengths are not secret here:
    /// both are digests of a fixed size).
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { x in
            b.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, a.count) == 0 }
        }
    }
}
