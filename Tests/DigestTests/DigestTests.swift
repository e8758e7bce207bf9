import XCTest
import Digest

final class DigestTests: XCTestCase {
    func testSHA256KnownVectors() {
        // FIPS 180-2 examples.
        XCTAssertEqual(SHA256.hexHash(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hexHash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testRandomValuesAreDistinctAcrossRefillsAndUseEveryBit() {
        // 2,000 values cross several 512-value refills of the pool.
        let values = (0..<2_000).map { _ in SecureRandom.uint64() }
        XCTAssertEqual(Set(values).count, values.count)
        XCTAssertEqual(values.reduce(0, |), UInt64.max, "some bit is never set")
        XCTAssertEqual(values.reduce(UInt64.max, &), 0, "some bit is always set")
    }

    func testHMACKnownVector() {
        // RFC 4231 test case 2.
        let mac = SHA256.hmac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        XCTAssertEqual(Hex.encode(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    func testConstantTimeEquality() {
        XCTAssertTrue(ConstantTime.equal([1, 2, 3], [1, 2, 3]))
        XCTAssertFalse(ConstantTime.equal([1, 2, 3], [1, 2, 4]))
        XCTAssertFalse(ConstantTime.equal([1, 2, 3], [1, 2]))
    }

    func testTokensAreLongAndDistinct() {
        let a = SecureRandom.token(), b = SecureRandom.token()
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(a.count, 4 + 64)
    }
}
