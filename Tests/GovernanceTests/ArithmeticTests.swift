import XCTest
@testable import Governance

final class ArithmeticTests: XCTestCase {
    func testBigUIntArithmetic() {
        let twoTo200 = BigUInt(1) << 200
        XCTAssertEqual(twoTo200.description, "1606938044258990275541962092341162602522202993782792835301376")
        let a = BigUInt(UInt64.max) * BigUInt(123_456_789) + BigUInt(42)
        let (quotient, remainder) = (a * twoTo200).quotientAndRemainder(dividingBy: a + BigUInt(7))
        XCTAssertEqual(quotient * (a + BigUInt(7)) + remainder, a * twoTo200)
        XCTAssertTrue(remainder < a + BigUInt(7))
        XCTAssertEqual(BigUInt.gcd(BigUInt(12) * twoTo200, BigUInt(18) << 100), BigUInt(6) << 100)
        var accumulated = BigUInt(5)
        accumulated.addProduct(twoTo200, a)
        XCTAssertEqual(accumulated, twoTo200 * a + BigUInt(5))
        XCTAssertEqual(twoTo200 - BigUInt(1) + BigUInt(1), twoTo200)
    }

    func testRatioOfHugeValues() {
        let factorial100 = (1...100).reduce(BigUInt(1)) { $0 * BigUInt($1) }
        let factorial99 = (1...99).reduce(BigUInt(1)) { $0 * BigUInt($1) }
        XCTAssertEqual(BigUInt.ratio(factorial99, factorial100), 0.01, accuracy: 1e-17)
        XCTAssertEqual(BigUInt.ratio(BigUInt(1) << 2000, BigUInt(3) << 2000), 1.0 / 3, accuracy: 1e-16)
    }

    func testRationalFromDecimal() {
        XCTAssertEqual(Rational(decimal: "66.67"), Rational(6667, 100))
        XCTAssertEqual(Rational(decimal: "40"), Rational(40))
        XCTAssertEqual(Rational(decimal: "2.5"), Rational(5, 2))
        XCTAssertEqual(Rational(decimal: "-0.125"), Rational(-1, 8))
        XCTAssertEqual(Rational(decimal: "5e1"), Rational(50))
        XCTAssertEqual(Rational(decimal: "1.5E-1"), Rational(3, 20))
        for invalid in ["", "abc", "1.2.3", "e5", "5e", "-", "1,5"] {
            XCTAssertNil(Rational(decimal: invalid), invalid)
        }
    }

    func testRationalArithmetic() {
        XCTAssertEqual(Rational(1, 3) + Rational(1, 6), Rational(1, 2))
        XCTAssertEqual(Rational(1, 3) - Rational(1, 2), Rational(-1, 6))
        XCTAssertEqual(Rational(2, 3) * Rational(3, 4) / Rational(1, 2), Rational(1))
        XCTAssertTrue(Rational(-1, 2) < Rational(1, 3))
        XCTAssertTrue(Rational(-1, 2) < Rational(-1, 3))
        XCTAssertEqual(Rational(6, -4).description, "-3/2")
        XCTAssertEqual(Rational(2, 3).doubleValue, 2.0 / 3)
        XCTAssertEqual((0..<7).map { _ in Rational(1, 7) }.sum(), .one)
    }
}
