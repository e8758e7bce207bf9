/// An arbitrary-precision unsigned integer, just large enough in features for
/// exact shares and exact coalition counts (n! passes 64 bits at n = 21).
///
/// Stored as little-endian 64-bit limbs with no high zero limb, so every value
/// has exactly one representation and synthesized `==`/`hash` are correct.
public struct BigUInt: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Little-endian limbs; empty for zero.
    public private(set) var limbs: [UInt64]

    /// Zero.
    public init() { limbs = [] }

    /// The value of a machine word.
    public init(_ value: UInt64) { limbs = value == 0 ? [] : [value] }

    /// The value of a non-negative `Int`.
    public init(_ value: Int) {
        precondition(value >= 0, "BigUInt cannot hold a negative value")
        self.init(UInt64(value))
    }

    /// The value of a 128-bit word.
    public init(_ value: UInt128) {
        limbs = [UInt64(truncatingIfNeeded: value), UInt64(truncatingIfNeeded: value >> 64)]
        normalize()
    }

    private init(limbs: [UInt64]) {
        self.limbs = limbs
        normalize()
    }

    private mutating func normalize() {
        while let last = limbs.last, last == 0 { limbs.removeLast() }
    }

    public static let zero = BigUInt()

    public var isZero: Bool { limbs.isEmpty }

    /// Number of significant bits (0 for zero).
    public var bitWidth: Int {
        guard let top = limbs.last else { return 0 }
        return limbs.count * 64 - top.leadingZeroBitCount
    }

    /// The value as a `UInt64` when it fits.
    public var uint64Value: UInt64? {
        limbs.count <= 1 ? (limbs.first ?? 0) : nil
    }

    /// The value as a `UInt128` when it fits.
    public var uint128Value: UInt128? {
        guard limbs.count <= 2 else { return nil }
        let low = UInt128(limbs.first ?? 0)
        let high = limbs.count == 2 ? UInt128(limbs[1]) << 64 : 0
        return high | low
    }

    /// The value as an `Int` when it fits.
    public var intValue: Int? {
        guard let word = uint64Value, word <= UInt64(Int.max) else { return nil }
        return Int(word)
    }

    // MARK: Comparison

    public static func < (lhs: BigUInt, rhs: BigUInt) -> Bool {
        if lhs.limbs.count != rhs.limbs.count { return lhs.limbs.count < rhs.limbs.count }
        for index in stride(from: lhs.limbs.count - 1, through: 0, by: -1) where lhs.limbs[index] != rhs.limbs[index] {
            return lhs.limbs[index] < rhs.limbs[index]
        }
        return false
    }

    // MARK: Addition and subtraction

    public static func += (lhs: inout BigUInt, rhs: BigUInt) {
        if lhs.limbs.count < rhs.limbs.count {
            lhs.limbs.append(contentsOf: repeatElement(0, count: rhs.limbs.count - lhs.limbs.count))
        }
        var carry: UInt64 = 0
        for index in 0..<lhs.limbs.count {
            let addend = index < rhs.limbs.count ? rhs.limbs[index] : 0
            if addend == 0 && carry == 0 {
                if index >= rhs.limbs.count { break }
                continue
            }
            let (partial, overflow1) = lhs.limbs[index].addingReportingOverflow(addend)
            let (sum, overflow2) = partial.addingReportingOverflow(carry)
            lhs.limbs[index] = sum
            carry = (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0)
        }
        if carry != 0 { lhs.limbs.append(carry) }
    }

    public static func + (lhs: BigUInt, rhs: BigUInt) -> BigUInt {
        var sum = lhs
        sum += rhs
        return sum
    }

    /// Subtraction; the result must not be negative.
    public static func -= (lhs: inout BigUInt, rhs: BigUInt) {
        precondition(!(lhs < rhs), "BigUInt subtraction would be negative")
        var borrow: UInt64 = 0
        for index in 0..<lhs.limbs.count {
            let subtrahend = index < rhs.limbs.count ? rhs.limbs[index] : 0
            if subtrahend == 0 && borrow == 0 && index >= rhs.limbs.count { break }
            let (partial, overflow1) = lhs.limbs[index].subtractingReportingOverflow(subtrahend)
            let (difference, overflow2) = partial.subtractingReportingOverflow(borrow)
            lhs.limbs[index] = difference
            borrow = (overflow1 ? 1 : 0) + (overflow2 ? 1 : 0)
        }
        lhs.normalize()
    }

    public static func - (lhs: BigUInt, rhs: BigUInt) -> BigUInt {
        var difference = lhs
        difference -= rhs
        return difference
    }

    // MARK: Multiplication

    public static func * (lhs: BigUInt, rhs: BigUInt) -> BigUInt {
        if lhs.isZero || rhs.isZero { return BigUInt() }
        var product = [UInt64](repeating: 0, count: lhs.limbs.count + rhs.limbs.count)
        for (i, left) in lhs.limbs.enumerated() where left != 0 {
            var carry: UInt64 = 0
            for (j, right) in rhs.limbs.enumerated() {
                let (high, low) = left.multipliedFullWidth(by: right)
                let (sum1, overflow1) = low.addingReportingOverflow(product[i + j])
                let (sum2, overflow2) = sum1.addingReportingOverflow(carry)
                product[i + j] = sum2
                carry = high &+ (overflow1 ? 1 : 0) &+ (overflow2 ? 1 : 0)
            }
            product[i + rhs.limbs.count] = carry
        }
        return BigUInt(limbs: product)
    }

    public static func *= (lhs: inout BigUInt, rhs: BigUInt) { lhs = lhs * rhs }

    /// Multiplies by a machine word in place.
    public mutating func multiply(by factor: UInt64) {
        if factor == 0 { limbs = []; return }
        var carry: UInt64 = 0
        for index in 0..<limbs.count {
            let (high, low) = limbs[index].multipliedFullWidth(by: factor)
            let (sum, overflow) = low.addingReportingOverflow(carry)
            limbs[index] = sum
            carry = high &+ (overflow ? 1 : 0)
        }
        if carry != 0 { limbs.append(carry) }
    }

    /// Adds `lhs × rhs` in place, without allocating the product (inner loops).
    public mutating func addProduct(_ lhs: BigUInt, _ rhs: BigUInt) {
        if lhs.isZero || rhs.isZero { return }
        let needed = lhs.limbs.count + rhs.limbs.count + 1
        if limbs.count < needed { limbs.append(contentsOf: repeatElement(0, count: needed - limbs.count)) }
        for (i, left) in lhs.limbs.enumerated() where left != 0 {
            var carry: UInt64 = 0
            for (j, right) in rhs.limbs.enumerated() {
                let (high, low) = left.multipliedFullWidth(by: right)
                let (sum1, overflow1) = low.addingReportingOverflow(limbs[i + j])
                let (sum2, overflow2) = sum1.addingReportingOverflow(carry)
                limbs[i + j] = sum2
                carry = high &+ (overflow1 ? 1 : 0) &+ (overflow2 ? 1 : 0)
            }
            var index = i + rhs.limbs.count
            while carry != 0 {
                if index == limbs.count { limbs.append(0) }
                let (sum, overflow) = limbs[index].addingReportingOverflow(carry)
                limbs[index] = sum
                carry = overflow ? 1 : 0
                index += 1
            }
        }
        normalize()
    }

    // MARK: Shifts

    public static func << (lhs: BigUInt, shift: Int) -> BigUInt {
        precondition(shift >= 0)
        if lhs.isZero || shift == 0 { return lhs }
        let limbShift = shift / 64, bitShift = shift % 64
        var result = [UInt64](repeating: 0, count: lhs.limbs.count + limbShift + 1)
        for (index, limb) in lhs.limbs.enumerated() {
            result[index + limbShift] |= limb << UInt64(bitShift)
            if bitShift != 0 { result[index + limbShift + 1] |= limb >> UInt64(64 - bitShift) }
        }
        return BigUInt(limbs: result)
    }

    public static func >> (lhs: BigUInt, shift: Int) -> BigUInt {
        precondition(shift >= 0)
        let limbShift = shift / 64, bitShift = shift % 64
        guard limbShift < lhs.limbs.count else { return BigUInt() }
        var result = [UInt64](repeating: 0, count: lhs.limbs.count - limbShift)
        for index in 0..<result.count {
            let source = index + limbShift
            result[index] = lhs.limbs[source] >> UInt64(bitShift)
            if bitShift != 0 && source + 1 < lhs.limbs.count {
                result[index] |= lhs.limbs[source + 1] << UInt64(64 - bitShift)
            }
        }
        return BigUInt(limbs: result)
    }

    private var trailingZeroBitCount: Int {
        for (index, limb) in limbs.enumerated() where limb != 0 {
            return index * 64 + limb.trailingZeroBitCount
        }
        return 0
    }

    private func bit(_ position: Int) -> Bool {
        let limb = position / 64
        return limb < limbs.count && (limbs[limb] >> UInt64(position % 64)) & 1 == 1
    }

    // MARK: Division

    /// Quotient and remainder by a non-zero machine word.
    public func quotientAndRemainder(dividingBy divisor: UInt64) -> (quotient: BigUInt, remainder: UInt64) {
        precondition(divisor != 0, "division by zero")
        var quotient = [UInt64](repeating: 0, count: limbs.count)
        var remainder: UInt64 = 0
        for index in stride(from: limbs.count - 1, through: 0, by: -1) {
            (quotient[index], remainder) = divisor.dividingFullWidth((remainder, limbs[index]))
        }
        return (BigUInt(limbs: quotient), remainder)
    }

    /// Quotient and remainder by a non-zero value. Shift-and-subtract long
    /// division: operands here are a few hundred bits at most, so simplicity wins.
    public func quotientAndRemainder(dividingBy divisor: BigUInt) -> (quotient: BigUInt, remainder: BigUInt) {
        precondition(!divisor.isZero, "division by zero")
        if self < divisor { return (BigUInt(), self) }
        if let word = divisor.uint64Value {
            let (quotient, remainder) = quotientAndRemainder(dividingBy: word)
            return (quotient, BigUInt(remainder))
        }
        var quotient = [UInt64](repeating: 0, count: limbs.count)
        var remainder = BigUInt()
        for position in stride(from: bitWidth - 1, through: 0, by: -1) {
            remainder = remainder << 1
            if bit(position) {
                if remainder.limbs.isEmpty { remainder.limbs = [1] } else { remainder.limbs[0] |= 1 }
            }
            if !(remainder < divisor) {
                remainder -= divisor
                quotient[position / 64] |= 1 << UInt64(position % 64)
            }
        }
        return (BigUInt(limbs: quotient), remainder)
    }

    public static func / (lhs: BigUInt, rhs: BigUInt) -> BigUInt {
        lhs.quotientAndRemainder(dividingBy: rhs).quotient
    }

    public static func % (lhs: BigUInt, rhs: BigUInt) -> BigUInt {
        lhs.quotientAndRemainder(dividingBy: rhs).remainder
    }

    /// Greatest common divisor (binary algorithm: shifts and subtractions only).
    public static func gcd(_ a: BigUInt, _ b: BigUInt) -> BigUInt {
        if a.isZero { return b }
        if b.isZero { return a }
        let commonTwos = min(a.trailingZeroBitCount, b.trailingZeroBitCount)
        var x = a >> a.trailingZeroBitCount
        var y = b >> b.trailingZeroBitCount
        while !y.isZero {
            if y < x { swap(&x, &y) }
            y -= x
            if !y.isZero { y = y >> y.trailingZeroBitCount }
        }
        return x << commonTwos
    }

    // MARK: Conversions

    /// The top 64 significant bits and the power of two they are scaled by.
    private var leadingWordAndExponent: (word: UInt64, exponent: Int) {
        let width = bitWidth
        if width <= 64 { return (limbs.first ?? 0, 0) }
        let shifted = self >> (width - 64)
        return (shifted.limbs[0], width - 64)
    }

    /// The nearest `Double` (to within one unit in the last place); `infinity` past its range.
    public var doubleValue: Double {
        let (word, exponent) = leadingWordAndExponent
        return Double(word) * pow2(exponent)
    }

    /// `numerator / denominator` as a `Double`, accurate even when both are far
    /// beyond `Double`'s range (e.g. a count of coalitions over n!).
    public static func ratio(_ numerator: BigUInt, _ denominator: BigUInt) -> Double {
        precondition(!denominator.isZero, "division by zero")
        if numerator.isZero { return 0 }
        let (topN, expN) = numerator.leadingWordAndExponent
        let (topD, expD) = denominator.leadingWordAndExponent
        return Double(topN) / Double(topD) * pow2(expN - expD)
    }

    public var description: String {
        if isZero { return "0" }
        let chunk: UInt64 = 10_000_000_000_000_000_000  // 10^19, the largest power of ten in a word
        var chunks: [UInt64] = []
        var rest = self
        while !rest.isZero {
            let (quotient, remainder) = rest.quotientAndRemainder(dividingBy: chunk)
            chunks.append(remainder)
            rest = quotient
        }
        var text = String(chunks.removeLast())
        for part in chunks.reversed() {
            let digits = String(part)
            text += String(repeating: "0", count: 19 - digits.count) + digits
        }
        return text
    }
}

/// 2^exponent without Foundation (overflows to infinity, underflows to zero).
func pow2(_ exponent: Int) -> Double {
    Double(sign: .plus, exponent: exponent, significand: 1)
}
