import TestSupport
import XCTest
@testable import Governance

final class ResiduesTests: XCTestCase {
    func testSumsAndDifferencesWrapAtTheModulus() {
        // (modulus, a, b, a + b, a − b) in 8-bit words; 0 is 2^8.
        let cases: [(UInt8, UInt8, UInt8, UInt8, UInt8)] = [
            (127, 100, 26, 126, 74), (127, 100, 27, 0, 73), (127, 100, 126, 99, 101), (127, 0, 126, 126, 1),
            (0, 200, 100, 44, 100), (0, 100, 200, 44, 156), (0, 0, 255, 255, 1),
        ]
        for (modulus, a, b, sum, difference) in cases {
            let residues = Residues<UInt8>(modulus: modulus)
            XCTAssertEqual(residues.sum(a, b), sum, "\(a) + \(b) mod \(modulus)")
            XCTAssertEqual(residues.difference(a, b), difference, "\(a) − \(b) mod \(modulus)")
        }
    }

    func testModuliAreCoprimeAndTellEnoughBits() {
        for bits in [1, 16, 17, 63, 64, 65, 101, 200] {
            let moduli = Residues<UInt16>.moduli(telling: bits)
            XCTAssertEqual(moduli.first?.modulus, 0, "2^16 first")
            XCTAssertTrue(moduli.dropFirst().allSatisfy { isPrime(UInt64($0.modulus)) && $0.modulus < 1 << 15 })
            XCTAssertEqual(Set(moduli.map(\.modulus)).count, moduli.count)
            let product = moduli.reduce(BigUInt(1)) { $0 * $1.value }
            XCTAssertGreaterThanOrEqual(product, BigUInt(1) << bits, "\(bits) bits")
            let withoutLast = moduli.dropLast().reduce(BigUInt(1)) { $0 * $1.value }
            XCTAssertLessThan(withoutLast, BigUInt(1) << bits, "no pass more than needed for \(bits) bits")
        }
    }

    func testPrimality() {
        let primes: [UInt64] = [2, 3, 127, 32_749, 2_147_483_647, 9_223_372_036_854_775_783]
        let composites: [UInt64] = [0, 1, 4, 32_767, 2_147_483_649, 3_215_031_751, 9_223_372_036_854_775_807]
        for n in primes { XCTAssertTrue(isPrime(n), "\(n)") }
        for n in composites { XCTAssertFalse(isPrime(n), "\(n)") }
    }

    func testReconstructionRecoversNumbersWiderThanEveryModulus() {
        var random = SplitMix64(state: 3)
        let values = (0..<50).map { _ in (BigUInt(random.next()) << 64) + BigUInt(random.next()) } + [.zero, BigUInt(1)]
        let moduli = Residues<UInt32>.moduli(telling: 128)
        var reconstruction = ResidueReconstruction(count: values.count)
        for residues in moduli {
            reconstruction.include(values.map { ($0 % residues.value).uint64Value ?? 0 }, modulo: residues.value)
        }
        XCTAssertEqual(reconstruction.values, values)
    }
}
