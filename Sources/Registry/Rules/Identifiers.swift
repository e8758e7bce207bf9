import Digest
import Timekeeping

/// Opaque resource ids: a type prefix, the creation time in milliseconds
/// (12 hex digits) and 64 random bits (16 hex digits): `ptn_0193a5c2e1f4` +
/// `9c1d…`. Clients never parse them.
///
/// Time first, as in UUID version 7 (RFC 9562): ids made together sort
/// together, so the unique index on `id` (and the audit indexes that hold
/// entity ids) grow at their right edge. A batch of writes committed together
/// then dirties a few shared pages instead of one random page per row, which
/// is most of what a write costs in WAL frames. The random part keeps ids
/// unguessable and unique among ids of the same millisecond.
enum Identifier {
    static func make(_ prefix: String) -> String {
        let milliseconds = UInt64(max(0, WallClock.epochMilliseconds())) & 0xFFFF_FFFF_FFFF
        let random = SecureRandom.uint64()
        return prefix + "_" + hex(milliseconds, width: 12) + hex(random, width: 16)
    }

    /// An id derived from `seed` (20 hex digits, the form ids had before
    /// they carried the time): the same seed always gives the same id (an
    /// amended text's new contributions keep theirs each time the text is rebuilt).
    static func derived(_ prefix: String, from seed: String) -> String {
        prefix + "_" + SHA256.hexHash(seed).prefix(20)
    }

    private static func hex(_ value: UInt64, width: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: width - text.count) + text
    }
}
