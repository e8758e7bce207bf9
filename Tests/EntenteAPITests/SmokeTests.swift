import XCTest
import JSON

final class SmokeTests: XCTestCase {
    func testHealthAndAuth() throws {
        let live = try LiveServer()
        XCTAssertEqual(try live.anonymous().get("/healthz").status, 200)
        let unauthorized = try live.anonymous().get("/v1/partners")
        XCTAssertEqual(unauthorized.status, 401)
        XCTAssertEqual(unauthorized.header("WWW-Authenticate"), "Bearer")
        XCTAssertEqual(try live.client().get("/v1/partners").status, 200)
    }
}
