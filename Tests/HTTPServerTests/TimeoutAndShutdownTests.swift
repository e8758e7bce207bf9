import Dispatch
import XCTest
@testable import HTTPServer

final class TimeoutAndShutdownTests: XCTestCase {
    func testHeadReadTimeoutAnswers408AndCloses() throws {
        let fixture = try ServerFixture { $0.headTimeout = .milliseconds(200) }
        defer { fixture.stop() }
        let client = try fixture.client()
        client.send("GET / HTTP/1.1\r\nHost: slow")
        let response = try XCTUnwrap(client.readResponse())
        XCTAssertEqual(response.status, 408)
        XCTAssertTrue(client.isClosedByServer())
    }

    func testAHeadStartedAfterALongIdleDeadlineStillTimesOutOnTime() throws {
        // The sweep skips its scan until the earliest deadline it knows of: a
        // request started on a connection whose idle deadline is far off moves
        // that deadline nearer, and the sweep must see it.
        let fixture = try ServerFixture {
            $0.headTimeout = .milliseconds(200)
            $0.idleTimeout = .seconds(60)
        }
        defer { fixture.stop() }
        let client = try fixture.client()
        client.send("GET / HTTP/1.1\r\n\r\n")
        XCTAssertEqual(client.readResponse()?.status, 200)
        // Past the first head deadline: a sweep has run and knows only the idle one.
        Thread.sleep(forTimeInterval: 0.4)
        client.send("GET / HTTP/1.1\r\nHost: slow")
        XCTAssertEqual(client.readResponse()?.status, 408)
        XCTAssertTrue(client.isClosedByServer())  // 5 s at most, far below the idle timeout
    }

    func testIdleKeepAliveConnectionIsClosed() throws {
        let fixture = try ServerFixture { $0.idleTimeout = .milliseconds(200) }
        defer { fixture.stop() }
        let client = try fixture.client()
        client.send("GET / HTTP/1.1\r\n\r\n")
        XCTAssertEqual(client.readResponse()?.status, 200)
        XCTAssertTrue(client.isClosedByServer())  // blocks until the server closes it (5 s at most)
    }

    func testSilentNewConnectionIsClosedAfterTheHeadTimeout() throws {
        let fixture = try ServerFixture { $0.headTimeout = .milliseconds(200) }
        defer { fixture.stop() }
        let client = try fixture.client()
        XCTAssertTrue(client.isClosedByServer())
    }

    func testShutdownFinishesTheRequestInFlightThenStops() throws {
        let fixture = try ServerFixture()
        let busy = try fixture.client()
        let idle = try fixture.client()
        idle.send("GET / HTTP/1.1\r\n\r\n")
        XCTAssertEqual(idle.readResponse()?.status, 200)
        busy.send("GET /block HTTP/1.1\r\n\r\n")
        XCTAssertEqual(fixture.entered.wait(timeout: .now() + 5), .success)

        fixture.server.shutdown()
        XCTAssertTrue(idle.isClosedByServer(), "idle connections close at once")
        XCTAssertThrowsError(try fixture.client(), "no longer accepting")
        fixture.gate.signal()
        let response = try XCTUnwrap(busy.readResponse())
        XCTAssertEqual(response.text, "unblocked")
        XCTAssertEqual(response.header("Connection"), "close")
        fixture.server.waitUntilStopped()
        XCTAssertEqual(fixture.server.openConnections, 0)
    }

    func testShutdownGivesUpOnAHandlerPastTheGrace() throws {
        let fixture = try ServerFixture { $0.shutdownGrace = .milliseconds(200) }
        let busy = try fixture.client()
        busy.send("GET /block HTTP/1.1\r\n\r\n")
        XCTAssertEqual(fixture.entered.wait(timeout: .now() + 5), .success)
        fixture.server.shutdown()
        fixture.server.waitUntilStopped()
        XCTAssertTrue(busy.isClosedByServer())
        fixture.gate.signal()
    }

    func testAHalfReceivedRequestAtShutdownIsFinishedAndAnswered() throws {
        let fixture = try ServerFixture()
        let client = try fixture.client()
        client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello")
        usleep(50_000)
        fixture.server.shutdown()
        usleep(50_000)
        client.send("world")
        let response = try XCTUnwrap(client.readResponse(), "the request that was arriving is answered")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.text, "helloworld")
        XCTAssertEqual(response.header("Connection"), "close")
        fixture.server.waitUntilStopped()
    }

    func testAHalfReceivedRequestStillUnfinishedAtTheGraceGets503() throws {
        let fixture = try ServerFixture { $0.shutdownGrace = .milliseconds(200) }
        let client = try fixture.client()
        client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhel")
        usleep(50_000)
        fixture.server.shutdown()
        fixture.server.waitUntilStopped()
        let response = try XCTUnwrap(client.readResponse(), "answered, not dropped")
        XCTAssertEqual(response.status, 503)
        XCTAssertTrue(response.text.contains("\"code\":\"unavailable\""), response.text)
        XCTAssertTrue(client.isClosedByServer())
    }
}
