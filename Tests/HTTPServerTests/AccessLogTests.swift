import Dispatch
import Foundation
@testable import HTTPServer
import Logging
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The access log batches its lines: checked through a pipe, by itself and behind a server.
final class AccessLogTests: XCTestCase {
    private var readFD: Int32 = -1
    private var writeFD: Int32 = -1

    override func setUpWithError() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        readFD = fds[0]
        writeFD = fds[1]
        _ = fcntl(readFD, F_SETFL, fcntl(readFD, F_GETFL) | O_NONBLOCK)
        // Room for everything the tests write without blocking the writer (F_SETPIPE_SZ is 1031).
        XCTAssertGreaterThanOrEqual(fcntl(writeFD, 1031, 1 << 20), 1 << 20)
    }

    override func tearDown() {
        close(readFD)
        close(writeFD)
    }

    /// The log lines readable now.
    private func readLines() -> [String] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(readFD, &buffer, buffer.count)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    private func record(_ n: Int) -> RequestRecord {
        RequestRecord(method: "GET", route: "/r", status: 200, durationSeconds: 0.001, bytes: 2, requestID: "req-\(n)")
    }

    func testLinesWaitForTheFlushThenComeInOrder() {
        let log = AccessLog(log: JSONLineLog(fd: writeFD))
        for n in 0..<10 { log.requestCompleted(record(n)) }
        XCTAssertEqual(readLines(), [], "written before the flush")
        log.flush()
        let lines = readLines()
        XCTAssertEqual(lines.count, 10)
        for (n, line) in lines.enumerated() {
            XCTAssertTrue(line.contains("\"request_id\":\"req-\(n)\""), line)
        }
        log.flush()
        XCTAssertEqual(readLines(), [], "a flush writes each line once")
    }

    func testPast32KiBLinesAreWrittenWithoutAFlush() {
        let log = AccessLog(log: JSONLineLog(fd: writeFD))
        for n in 0..<400 { log.requestCompleted(record(n)) }
        let early = readLines()
        XCTAssertGreaterThan(early.count, 100)
        XCTAssertLessThan(early.count, 400)
        log.flush()
        let all = early + readLines()
        XCTAssertEqual(all.count, 400)
        for (n, line) in all.enumerated() where !line.contains("\"request_id\":\"req-\(n)\"") {
            XCTFail("line \(n) out of order: \(line)")
        }
    }

    func testTheServerFlushesAfterEachRoundOfEvents() throws {
        let gate = DispatchSemaphore(value: 0), entered = DispatchSemaphore(value: 0)
        var configuration = ServerConfiguration(port: 0)
        configuration.limits = .init(maxHeadBytes: 1024, maxBodyBytes: 4096)
        let server = try HTTPServer.start(configuration: configuration, responder: TestResponder(gate: gate, entered: entered),
                                          observer: AccessLog(log: JSONLineLog(fd: writeFD)))
        defer {
            server.shutdown()
            server.waitUntilStopped()
        }
        let client = try TestClient(port: server.port)
        client.send("GET /loop HTTP/1.1\r\nX-Request-Id: on-the-loop\r\n\r\n")
        XCTAssertEqual(client.readResponse()?.status, 200)
        client.send("GET /a HTTP/1.1\r\nX-Request-Id: on-a-worker\r\n\r\n")
        XCTAssertEqual(client.readResponse()?.status, 200)
        var lines: [String] = []
        let deadline = Date().addingTimeInterval(2)
        while lines.count < 2 && Date() < deadline {
            lines += readLines()
            usleep(5_000)
        }
        XCTAssertEqual(lines.count, 2, "\(lines)")
        XCTAssertTrue(lines.first?.contains("on-the-loop") ?? false, "\(lines)")
        XCTAssertTrue(lines.last?.contains("on-a-worker") ?? false, "\(lines)")
    }
}
