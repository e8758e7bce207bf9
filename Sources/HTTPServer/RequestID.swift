import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Request ids (API.md §1): the client's `X-Request-Id` when it is 1–128
/// characters of `[A-Za-z0-9._-]`, else one made here: a random per-process
/// prefix and a counter, unique without a random draw per request.
public enum RequestID {
    private static let counter = Atomic<UInt64>(0)
    private static let prefix: String = {
        var generator = SystemRandomNumberGenerator()
        let value = UInt32.random(in: UInt32.min...UInt32.max, using: &generator)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }()

    public static func resolve(_ sent: String?) -> String {
        if let sent, isAcceptable(sent) { return sent }
        return generate()
    }

    public static func generate() -> String {
        let n = counter.wrappingAdd(1, ordering: .relaxed).newValue
        let hex = String(n, radix: 16)
        return prefix + "-" + String(repeating: "0", count: max(0, 12 - hex.count)) + hex
    }

    public static func isAcceptable(_ id: String) -> Bool {
        let bytes = id.utf8
        return (1...128).contains(bytes.count) && bytes.allSatisfy { byte in
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"): true
            default: false
            }
        }
    }
}
