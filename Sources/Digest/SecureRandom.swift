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
}
