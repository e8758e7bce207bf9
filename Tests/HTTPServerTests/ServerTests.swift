import Dispatch
import XCTest
@testable import HTTPServer

/// The server over real loopback sockets.
final class ServerTests: XCTestCase {
    private var fixture: ServerFixture!

    override func setUpWithError() throws {
        fixture = try ServerFixture()
    }

    override func tearDown() {
        fixture?.stop()
    }

    func testKeepAliveServesSeveralRequestsOnOneConnection() throws {
        let client = try fixture.client()
        for index in 0..<3 {
            client.send("GET /n\(index) HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try XCTUnwrap(client.readResponse())
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.text, "path /n\(index)")
            XCTAssertNil(response.header("Connection"))
            XCTAssertNotNil(response.header("Date"))
            XCTAssertNotNil(response.header("X-Request-Id"))
        }
    }

    func testPipelinedRequestsAreAnsweredInOrderEvenWhenTheFirstIsSlow() throws {
        let client = try fixture.client()
        client.send("GET /block HTTP/1.1\r\n\r\nPOST /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /last HTTP/1.1\r\n\r\n")
        XCTAssertEqual(fixture.entered.wait(timeout: .now() + 5), .success)
        fixture.gate.signal()
        XCTAssertEqual(client.readResponse()?.text, "unblocked")
        XCTAssertEqual(client.readResponse()?.text, "abc")
        XCTAssertEqual(client.readResponse()?.text, "path /last")
    }

    /// Restarts the server with one read worker and blocks it on `/block`; the client waiting for that answer.
    private func occupyTheOnlyReadWorker() throws -> TestClient {
        fixture.stop()
        fixture = try ServerFixture { $0.workerThreads = 1 }
        let client = try fixture.client()
        client.send("GET /block HTTP/1.1\r\n\r\n")
        XCTAssertEqual(fixture.entered.wait(timeout: .now() + 5), .success)
        return client
    }

    func testEventLoopAnswersNeedNoWorker() throws {
        let slow = try occupyTheOnlyReadWorker()
        // The only worker is blocked: the loop answers by itself.
        let client = try fixture.client()
        client.send("GET /loop HTTP/1.1\r\n\r\n")
        let onLoop = try XCTUnwrap(client.readResponse())
        XCTAssertEqual(onLoop.text, "answered on the loop")
        XCTAssertEqual(onLoop.header("Content-Length"), "20")
        XCTAssertNotNil(onLoop.header("Date"))
        XCTAssertNotNil(onLoop.header("X-Request-Id"))
        XCTAssertEqual(fixture.observer.records.map(\.route), ["/loop"])
        fixture.gate.signal()
        XCTAssertEqual(slow.readResponse()?.text, "unblocked")
    }

    func testABoundListenerKeepsRequestsWaitingUntilItIsServed() throws {
        var configuration = ServerConfiguration(port: 0)
        configuration.limits = .init(maxHeadBytes: 1024, maxBodyBytes: 4096)
        let listener = try HTTPListener.bind(configuration)
        let client = try TestClient(port: listener.port, timeoutSeconds: 1)
        client.send("GET /early HTTP/1.1\r\n\r\n")
        XCTAssertNil(client.readResponse(), "answered before the server started")
        let server = try HTTPServer.start(listener: listener, configuration: configuration,
                                          responder: TestResponder(gate: DispatchSemaphore(value: 0), entered: DispatchSemaphore(value: 0)),
                                          observer: RecordingObserver())
        defer {
            server.shutdown()
            server.waitUntilStopped()
        }
        XCTAssertEqual(server.port, listener.port)
        XCTAssertEqual(client.readResponse()?.text, "path /early")
    }

    func testAListenerClosedUnservedTurnsConnectionsAway() throws {
        let listener = try HTTPListener.bind(ServerConfiguration(port: 0))
        listener.close()
        listener.close()
        XCTAssertThrowsError(try TestClient(port: listener.port))
    }

    func testWritesHaveWorkersOfTheirOwn() throws {
        let reader = try occupyTheOnlyReadWorker()
        // The only read worker is blocked; a POST runs on the write workers.
        let writer = try fixture.client()
        writer.send("POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nwrite")
        XCTAssertEqual(writer.readResponse()?.text, "write")
        fixture.gate.signal()
        XCTAssertEqual(reader.readResponse()?.text, "unblocked")
    }

    func testPipelinedRequestsOfBothLanesAreAnsweredInOrder() throws {
        let client = try fixture.client()
        client.send("GET /block HTTP/1.1\r\n\r\nGET /loop HTTP/1.1\r\n\r\nHEAD /loop HTTP/1.1\r\n\r\nGET /last HTTP/1.1\r\n\r\n"
                    + "GET /loop HTTP/1.1\r\nConnection: close\r\n\r\nGET /never HTTP/1.1\r\n\r\n")
        XCTAssertEqual(fixture.entered.wait(timeout: .now() + 5), .success)
        fixture.gate.signal()
        XCTAssertEqual(client.readResponse()?.text, "unblocked")
        XCTAssertEqual(client.readResponse()?.text, "answered on the loop")
        let head = try XCTUnwrap(client.readResponse(head: true))
        XCTAssertEqual(head.header("Content-Length"), "20")
        XCTAssertEqual(client.readResponse()?.text, "path /last")
        let last = try XCTUnwrap(client.readResponse())
        XCTAssertEqual(last.text, "answered on the loop")
        XCTAssertEqual(last.header("Connection"), "close")
        XCTAssertTrue(client.isClosedByServer())
    }

    func testAClientThatHalfClosesStillGetsEveryAnswerThenTheClose() throws {
        // The requests and the FIN arrive together: the short read must not end reading before the end of stream.
        let client = try fixture.client()
        client.send("GET /loop HTTP/1.1\r\n\r\nGET /a HTTP/1.1\r\n\r\n")
        client.shutdownWrite()
        XCTAssertEqual(client.readResponse()?.text, "answered on the loop")
        XCTAssertEqual(client.readResponse()?.text, "path /a")
        XCTAssertTrue(client.isClosedByServer())
    }

    func testABlockedHandlerDoesNotStallOtherConnections() throws {
        let slow = try fixture.client()
        slow.send("GET /block HTTP/1.1\r\n\r\n")
        XCTAssertEqual(fixture.entered.wait(timeout: .now() + 5), .success)
        let fast = try fixture.client()
        fast.send("GET /fast HTTP/1.1\r\n\r\n")
        XCTAssertEqual(fast.readResponse()?.text, "path /fast")
        fixture.gate.signal()
        XCTAssertEqual(slow.readResponse()?.text, "unblocked")
    }

    func testHTTP10ClosesUnlessKeepAliveIsAsked() throws {
        let plain = try fixture.client()
        plain.send("GET /a HTTP/1.0\r\n\r\n")
        let first = try XCTUnwrap(plain.readResponse())
        XCTAssertEqual(first.status, 200)
        XCTAssertEqual(first.header("Connection"), "close")
        XCTAssertTrue(plain.isClosedByServer())

        let kept = try fixture.client()
        kept.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        XCTAssertEqual(kept.readResponse()?.header("Connection"), "keep-alive")
        kept.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        XCTAssertEqual(kept.readResponse()?.text, "path /b")
    }

    func testConnectionCloseIsHonoured() throws {
        let client = try fixture.client()
        client.send("GET /a HTTP/1.1\r\nConnection: close\r\n\r\nGET /never HTTP/1.1\r\n\r\n")
        XCTAssertEqual(client.readResponse()?.header("Connection"), "close")
        XCTAssertTrue(client.isClosedByServer())
    }

    func testChunkedBodyIsDecoded() throws {
        let client = try fixture.client()
        client.send("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n")
        client.send("5\r\npedia\r\n0\r\n\r\n")
        XCTAssertEqual(client.readResponse()?.text, "Wikipedia")
    }

    func testExpectContinue() throws {
        let client = try fixture.client()
        client.send("POST /echo HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
        let interim = try XCTUnwrap(client.readResponse())
        XCTAssertEqual(interim.status, 100)
        client.send("body")
        XCTAssertEqual(client.readResponse()?.text, "body")
    }

    func testExpectContinueWithATooLargeBodyGets413Directly() throws {
        let client = try fixture.client()
        client.send("POST /echo HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n")
        XCTAssertEqual(client.readResponse()?.status, 413)
        XCTAssertTrue(client.isClosedByServer())
    }

    func testFramingErrorsAnswerWithAProblemAndClose() throws {
        let cases: [(String, Int, String)] = [
            ("GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 2000) + "\r\n\r\n", 431, "header_too_large"),
            ("POST /echo HTTP/1.1\r\nContent-Length: 4097\r\n\r\n", 413, "payload_too_large"),
            ("POST /echo HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "bad_request"),
            ("POST /echo HTTP/1.1\r\nContent-Length: +3\r\n\r\nabc", 400, "bad_request"),
            ("GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400, "bad_request"),
            ("GET / HTTP/3.0\r\n\r\n", 505, "http_version_not_supported"),
            ("NONSENSE\r\n\r\n", 400, "bad_request"),
        ]
        for (raw, status, code) in cases {
            let client = try fixture.client()
            client.send(raw)
            let response = try XCTUnwrap(client.readResponse(), raw)
            XCTAssertEqual(response.status, status, raw)
            XCTAssertEqual(response.header("Content-Type"), "application/problem+json")
            XCTAssertEqual(response.header("Connection"), "close")
            XCTAssertTrue(response.text.contains("\"code\":\"\(code)\""), response.text)
            XCTAssertNotNil(response.header("X-Request-Id"))
            XCTAssertTrue(client.isClosedByServer(), raw)
        }
    }

    func testBodyLimitBoundaryIsAccepted() throws {
        let client = try fixture.client()
        let body = String(repeating: "x", count: 4096)
        client.send("POST /echo HTTP/1.1\r\nContent-Length: 4096\r\n\r\n" + body)
        XCTAssertEqual(client.readResponse()?.body.count, 4096)
    }

    func testRequestIDIsEchoedOrGenerated() throws {
        let client = try fixture.client()
        client.send("GET /id HTTP/1.1\r\nX-Request-Id: abc.DEF_123-x\r\n\r\n")
        let echoed = try XCTUnwrap(client.readResponse())
        XCTAssertEqual(echoed.header("X-Request-Id"), "abc.DEF_123-x")
        XCTAssertEqual(echoed.text, "abc.DEF_123-x")

        for bad in ["has space", "semi;colon", String(repeating: "a", count: 129)] {
            client.send("GET /id HTTP/1.1\r\nX-Request-Id: \(bad)\r\n\r\n")
            let generated = try XCTUnwrap(client.readResponse())
            XCTAssertNotEqual(generated.header("X-Request-Id"), bad)
            XCTAssertEqual(generated.header("X-Request-Id"), generated.text)
            XCTAssertTrue(RequestID.isAcceptable(generated.text))
        }
    }

    func testHeadGetsHeadersWithoutBody() throws {
        let client = try fixture.client()
        client.send("HEAD /abc HTTP/1.1\r\n\r\nGET /next HTTP/1.1\r\n\r\n")
        let head = try XCTUnwrap(client.readResponse(head: true))
        XCTAssertEqual(head.header("Content-Length"), "9")
        XCTAssertEqual(client.readResponse()?.text, "path /next")
    }

    func testEveryRequestIsObserved() throws {
        let client = try fixture.client()
        client.send("GET /echo HTTP/1.1\r\n\r\n")
        _ = client.readResponse()
        // The worker records the request just after it hands the answer to the loop.
        let deadline = Date().addingTimeInterval(2)
        while fixture.observer.records.isEmpty && Date() < deadline { usleep(1000) }
        let record = try XCTUnwrap(fixture.observer.records.last)
        XCTAssertEqual(record.route, "/echo")
        XCTAssertEqual(record.status, 200)
        XCTAssertEqual(record.method, "GET")
    }

    func testIdleConnectionsCostNoThreads() throws {
        let before = threadCount()
        var clients: [TestClient] = []
        for _ in 0..<300 {
            let client = try fixture.client()
            client.send("GET /healthz HTTP/1.1\r\n\r\n")
            clients.append(client)
        }
        for client in clients { XCTAssertEqual(client.readResponse()?.status, 200) }
        XCTAssertEqual(fixture.server.openConnections, 300)
        XCTAssertLessThanOrEqual(threadCount(), before + 2, "threads grew with connections")
    }
}
