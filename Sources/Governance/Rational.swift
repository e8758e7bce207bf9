/// An exact fraction over `BigUInt`, always in lowest terms with a positive
/// denominator, so equal values compare and hash equal.
///
/// Shares, percentages and thresholds are all `Rational`: only exact
/// arithmetic makes shares sum to exactly 1 and "reaching the quorum exactly
/// is enough" decidable.
public struct Rational: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// True for values below zero (never for zero itself).
    public let isNegative: Bool
    /// Magnitude of the numerator.
    public let numerator: BigUInt
    /// The denominator, at least 1.
    public let denominator: BigUInt

    /// `magnitude / denominator`, negated when `negative`; reduced to lowest terms.
    public init(negative: Bool = false, numerator: BigUInt, denominator: BigUInt) {
        precondition(!denominator.isZero, "Rational with a zero denominator")
        let divisor = BigUInt.gcd(numerator, denominator)
        let one = BigUInt(1)
        self.numerator = divisor == one ? numerator : numerator / divisor
        self.denominator = divisor == one ? denominator : denominator / divisor
        self.isNegative = negative && !numerator.isZero
    }

    /// An integer.
    public init(_ value: Int) {
        self.init(negative: value < 0, numerator: BigUInt(UInt64(value.magnitude)), denominator: BigUInt(1))
    }

    /// `numerator / denominator`; the denominator must not be zero.
    public init(_ numerator: Int, _ denominator: Int) {
        precondition(denominator != 0, "Rational with a zero denominator")
        self.init(negative: (numerator < 0) != (denominator < 0),
                  numerator: BigUInt(UInt64(numerator.magnitude)), denominator: BigUInt(UInt64(denominator.magnitude)))
    }

    /// Parses a JSON number written in decimal ("66.67", "40", "-2.5", "5e1").
    /// A `Double` read from JSON should be passed as its shortest description,
    /// which is exactly the decimal the client wrote (66.67, not 66.670000000000002).
    public init?(decimal text: String) {
        var characters = Substring(text)
        var negative = false
        if let first = characters.first, first == "-" || first == "+" {
            negative = first == "-"
            characters = characters.dropFirst()
        }
        var mantissa = characters, exponent = 0
        if let marker = characters.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = characters[..<marker]
            guard let value = Int(characters[characters.index(after: marker)...]), abs(value) <= 400 else { return nil }
            exponent = value
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        let integerDigits = parts[0], fractionDigits = parts.count == 2 ? parts[1] : ""
        let digits = integerDigits + fractionDigits
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        exponent -= fractionDigits.count
        var magnitude = BigUInt()
        for digit in digits {
            magnitude.multiply(by: 10)
            magnitude += BigUInt(UInt64(digit.wholeNumberValue!))
        }
        let power = Rational.powerOfTen(abs(exponent))
        if exponent >= 0 {
            self.init(negative: negative, numerator: magnitude * power, denominator: BigUInt(1))
        } else {
            self.init(negative: negative, numerator: magnitude, denominator: power)
        }
    }

    private static func powerOfTen(_ exponent: Int) -> BigUInt {
        var power = BigUInt(1)
        for _ in 0..<exponent { power.multiply(by: 10) }
        return power
    }

    public static let zero = Rational(0)
    public static let one = Rational(1)

    public var isZero: Bool { numerator.isZero }

    /// The nearest `Double` (for display and the final division only).
    public var doubleValue: Double {
        let magnitude = BigUInt.ratio(numerator, denominator)
        return isNegative ? -magnitude : magnitude
    }

    public var description: String {
        let sign = isNegative ? "-" : ""
        return denominator == BigUInt(1) ? "\(sign)\(numerator)" : "\(sign)\(numerator)/\(denominator)"
    }

    // MARK: Arithmetic

    public static prefix func - (value: Rational) -> Rational {
        Rational(negative: !value.isNegative, numerator: value.numerator, denominator: value.denominator)
    }

    public static func + (lhs: Rational, rhs: Rational) -> Rational {
        let left = lhs.numerator * rhs.denominator, right = rhs.numerator * lhs.denominator
        let denominator = lhs.denominator * rhs.denominator
        if lhs.isNegative == rhs.isNegative {
            return Rational(negative: lhs.isNegative, numerator: left + right, denominator: denominator)
        }
        // Opposite signs: the larger magnitude decides the sign.
        if left < right {
            return Rational(negative: rhs.isNegative, numerator: right - left, denominator: denominator)
        }
        return Rational(negative: lhs.isNegative, numerator: left - right, denominator: denominator)
    }

    public static func - (lhs: Rational, rhs: Rational) -> Rational { lhs + (-rhs) }

    public static func * (lhs: Rational, rhs: Rational) -> Rational {
        Rational(negative: lhs.isNegative != rhs.isNegative,
                 numerator: lhs.numerator * rhs.numerator, denominator: lhs.denominator * rhs.denominator)
    }

    public static func / (lhs: Rational, rhs: Rational) -> Rational {
        precondition(!rhs.isZero, "division by zero")
        return Rational(negative: lhs.isNegative != rhs.isNegative,
                        numerator: lhs.numerator * rhs.denominator, denominator: lhs.denominator * rhs.numerator)
    }

    public static func += (lhs: inout Rational, rhs: Rational) { lhs = lhs + rhs }
    public static func -= (lhs: inout Rational, rhs: Rational) { lhs = lhs - rhs }

    public static func < (lhs: Rational, rhs: Rational) -> Bool {
        if lhs.isNegative != rhs.isNegative { return lhs.isNegative }
        let left = lhs.numerator * rhs.denominator, right = rhs.numerator * lhs.denominator
        return lhs.isNegative ? right < left : left < right
    }

    /// The largest integer not above a non-negative value.
    var floorMagnitude: BigUInt {
        precondition(!isNegative, "floor of a negative share")
        return numerator / denominator
    }

    /// The smallest integer not below a non-negative value.
    var ceilingMagnitude: BigUInt {
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        return remainder.isZero ? quotient : quotient + BigUInt(1)
    }
}

extension Sequence where Element == Rational {
    /// The exact sum.
    public func sum() -> Rational { reduce(Rational.zero, +) }
}
