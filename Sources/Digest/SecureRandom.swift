import Locks
#if canImport(Glibc)
import Glibc
#endif

/// Random secrets drawn from the system's CSPRNG.
public enum SecureRandom {
    /// `count` random bytes (`SystemRandomNumberGenerator` reads getrandom(2)).
    public static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// A bearer token of 256 random bits: a recognisable prefix, then 64 hex digits.
    public static func token() -> String {
        "ent_" + Hex.encode(bytes(32))
    }

    /// 64 random bits from getrandom(2), drawn 4 KiB at a time rather than
    /// one system call per value (every created resource takes one).
    public static func uint64() -> UInt64 {
        pool.withLock { $0.next() }
    }

    private static let pool = Locked(RandomPool())
}

/// Values read from the system's CSPRNG in blocks, each handed out once.
private struct RandomPool: ~Copyable {
    private var values = [UInt64](repeating: 0, count: 512)
    private var taken = 512

    mutating func next() -> UInt64 {
        if taken == values.count {
            values.withUnsafeMutableBytes { buffer in
                // getentropy(3) (getrandom(2) underneath) gives at most 256 bytes a call.
                for start in stride(from: 0, to: buffer.count, by: 256) {
                    guard getentropy(buffer.baseAddress! + start, min(256, buffer.count - start)) == 0 else {
                        // As SystemRandomNumberGenerator does: no secret is ever made of anything else.
                        fatalError("getentropy failed: errno \(errno)")
                    }
                }
            }
            taken = 0
        }
        defer { taken += 1 }
        return values[taken]
    }
}
