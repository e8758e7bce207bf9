/// An exact coalition counter for the dynamic-programming tables.
///
/// Fixed-width words are used whenever every count fits (a table over f free
/// parties never exceeds 2^f): wrapping arithmetic is then exact, even for the
/// subtractions of deconvolution, because the true results are in range.
/// `BigUInt` is the fallback past 127 free parties.
protocol CoalitionCounter: Sendable {
    static var zero: Self { get }
    static var one: Self { get }
    static func &+ (lhs: Self, rhs: Self) -> Self
    static func &- (lhs: Self, rhs: Self) -> Self
    var bigUIntValue: BigUInt { get }
}

extension UInt64: CoalitionCounter {
    static var one: UInt64 { 1 }
    var bigUIntValue: BigUInt { BigUInt(self) }
}

extension UInt128: CoalitionCounter {
    static var one: UInt128 { 1 }
    var bigUIntValue: BigUInt { BigUInt(self) }
}

extension BigUInt: CoalitionCounter {
    static var one: BigUInt { BigUInt(1) }
    static func &+ (lhs: BigUInt, rhs: BigUInt) -> BigUInt { lhs + rhs }
    static func &- (lhs: BigUInt, rhs: BigUInt) -> BigUInt { lhs - rhs }
    var bigUIntValue: BigUInt { self }
}
