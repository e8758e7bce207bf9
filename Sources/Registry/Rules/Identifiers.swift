import Digest

/// Opaque resource ids: a type prefix and 80 random bits in hex
/// (`ptn_3f9a0c…`). Clients never parse them.
enum Identifier {
    static func make(_ prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let high = UInt64.random(in: .min ... .max, using: &generator)
        let low = UInt16.random(in: .min ... .max, using: &generator)
        return prefix + "_" + hex(high, width: 16) + hex(UInt64(low), width: 4)
    }

    /// An id of the same form derived from `seed`: the same seed always
    /// gives the same id (an amended text's new contributions keep theirs
    /// each time the text is rebuilt).
    static func derived(_ prefix: String, from seed: String) -> String {
        prefix + "_" + SHA256.hexHash(seed).prefix(20)
    }

    private static func hex(_ value: UInt64, width: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: width - text.count) + text
    }
}
