import Foundation
import XCTest
@testable import HTTPServer
#if canImport(Glibc)
import Glibc
#endif

/// Past `maxConnections`, a new connection gets a 503 problem and is closed;
/// the connections already open are served, and room frees up as they close.
final class ConnectionLimitTests: XCTestCase {
    func testTheConnectionPastTheLimitIsAnswered503AndClosed() throws {
        let fixture = try ServerFixture { $0.maxConnections = 3 }
        defer { fixture.stop() }
        var open = try (0..<3).map { _ in try fixture.client() }
        // Let the loop accept all three before the fourth arrives.
        open[0].send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(open[0].readResponse()?.status, 200)
        usleep(50_000)

        let extra = try fixture.client()
        let refused = try XCTUnwrap(extra.readResponse(), "the refused client is told why")
        XCTAssertEqual(refused.status, 503)
        XCTAssertEqual(refused.header("Retry-After"), "1")
        XCTAssertEqual(refused.header("Connection"), "close")
        XCTAssertTrue(refused.text.contains("\"code\":\"unavailable\""), refused.text)
        XCTAssertTrue(extra.isClosedByServer())

        for client in open {
            client.send("GET /still HTTP/1.1\r\nHost: x\r\n\r\n")
            XCTAssertEqual(client.readResponse()?.status, 200, "open connections keep being served")
        }

        open.removeLast()  // closes one
        usleep(100_000)
        let next = try fixture.client()
        next.send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(next.readResponse()?.status, 200, "a freed slot takes a new connection")

        let deadline = Date().addingTimeInterval(3)
        while fixture.observer.refused[.connectionLimit] == nil && Date() < deadline { usleep(20_000) }
        XCTAssertEqual(fixture.observer.refused[.connectionLimit], 1, "the refusal is reported")
    }
}
