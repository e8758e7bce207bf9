@testable import Registry
import Timekeeping
import XCTest

final class IdentifierTests: XCTestCase {
    func testIdsCarryTheirMillisecondThenRandomBits() throws {
        let before = WallClock.epochMilliseconds()
        let id = Identifier.make("ptn")
        let after = WallClock.epochMilliseconds()
        XCTAssertTrue(id.hasPrefix("ptn_"), id)
        let digits = id.dropFirst(4)
        XCTAssertEqual(digits.count, 28, id)
        XCTAssertTrue(digits.allSatisfy { $0.isHexDigit && !$0.isUppercase }, id)
        let milliseconds = try XCTUnwrap(Int(digits.prefix(12), radix: 16))
        XCTAssertTrue((before...after).contains(milliseconds), "\(milliseconds) not in \(before)...\(after)")
    }

    func testIdsMadeLaterSortLaterAndNoTwoAreAlike() {
        var ids: [String] = []
        for _ in 0..<5 {
            let started = WallClock.epochMilliseconds()
            while WallClock.epochMilliseconds() == started {}
            ids.append(Identifier.make("aud"))
        }
        XCTAssertEqual(ids, ids.sorted())
        let many = (0..<10_000).map { _ in Identifier.make("aud") }
        XCTAssertEqual(Set(many).count, many.count)
    }

    func testDerivedIdsKeepTheirFormerForm() {
        // `printf seed | sha256sum`, first 20 hex digits: ids derived before keep matching.
        XCTAssertEqual(Identifier.derived("ctb", from: "seed"), "ctb_19b25856e1c150ca834c")
    }
}
