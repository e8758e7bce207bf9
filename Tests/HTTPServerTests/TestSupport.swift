import Dispatch
import Foundation
import XCTest
@testable import HTTPServer
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A responder for transport tests: `/echo` answers the body back, `/block`
/// waits until the test opens `gate`, and `/loop` is answered on the event loop.
struct TestResponder: HTTPResponder {
    let gate: DispatchSemaphore
    let entered: DispatchSemaphore

    func respondOnEventLoop(to request: HTTPRequest) -> HTTPResponse? {
        guard request.path == "/loop" else { return nil }
        return HTTPResponse(status: 200, body: Array("answered on the loop".utf8), route: "/loop")
    }

    func respond(to request: HTTPRequest) -> HTTPResponse {
        switch request.path {
        case "/echo":
            return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/plain")]), body: request.body, route: "/echo")
        case "/block":
            entered.signal()
            gate.wait()
            return HTTPResponse(status: 200, body: Array("unblocked".utf8), route: "/block")
        case "/id":
            return HTTPResponse(status: 200, body: Array(request.requestID.utf8), route: "/id")
        default:
            return HTTPResponse(status: 200, body: Array("path \(request.path)".utf8), route: "/*")
        }
    }
}

/// Collects access-log records in memory.
final class RecordingObserver: HTTPServerObserver, @unchecked Sendable {
    // Guarded by `lock`; requestCompleted runs on worker threads.
    private let lock = NSLock()
    private var stored: [RequestRecord] = []

    func requestCompleted(_ record: RequestRecord) {
        lock.lock(); defer { lock.unlock() }
        stored.append(record)
    }

    var records: [RequestRecord] {
        lock.lock(); defer { lock.unlock() }
        return stored
    }

    private var refusedConnections: [ConnectionRefusal: Int] = [:]

    func connectionsRefused(_ reason: ConnectionRefusal, count: Int) {
        lock.lock(); defer { lock.unlock() }
        refusedConnections[reason, default: 0] += count
    }

    var refused: [ConnectionRefusal: Int] {
        lock.lock(); defer { lock.unlock() }
        return refusedConnections
    }
}

/// A parsed response as the test client reads it.
struct ClientResponse {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A blocking TCP client speaking raw bytes to the server under test.
final class TestClient {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int, timeoutSeconds: Int = 5) throws {
        fd = try Loopback.connect(port: port)
        Loopback.setReceiveTimeout(fd, seconds: timeoutSeconds)
    }

    deinit { close(fd) }

    func send(_ text: String) {
        send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) {
        Loopback.send(bytes, to: fd)
    }

    /// Reads more bytes; false at end of stream or timeout.
    private func fill() -> Bool {
        let chunk = Loopback.receive(from: fd)
        buffer += chunk
        return !chunk.isEmpty
    }

    /// Reads one response (Content-Length framed, or none for 1xx/204/304 and HEAD).
    func readResponse(head: Bool = false) -> ClientResponse? {
        let separator: [UInt8] = [13, 10, 13, 10]
        var end: Int?
        while end == nil {
            if buffer.count >= 4 {
                end = (0...(buffer.count - 4)).first { Array(buffer[$0..<$0 + 4]) == separator }
            }
            if end == nil && !fill() { return nil }
        }
        let headText = String(decoding: buffer[0..<end!], as: UTF8.self)
        buffer.removeFirst(end! + 4)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
        let headers = lines.compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var response = ClientResponse(status: status, headers: headers, body: [])
        let length = head ? 0 : Int(response.header("Content-Length") ?? "0") ?? 0
        while buffer.count < length {
            if !fill() { return nil }
        }
        response.body = Array(buffer[0..<length])
        buffer.removeFirst(length)
        return response
    }

    /// True when the server has closed the connection (EOF or reset) with nothing more to read.
    func isClosedByServer() -> Bool {
        buffer.isEmpty && !fill()
    }

    func shutdownWrite() {
        Glibc.shutdown(fd, Int32(SHUT_WR))
    }
}

/// A server on a free loopback port for one test.
final class ServerFixture {
    let gate = DispatchSemaphore(value: 0)
    let entered = DispatchSemaphore(value: 0)
    let observer = RecordingObserver()
    let server: HTTPServer

    init(configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        var configuration = ServerConfiguration(port: 0)
        configuration.limits = .init(maxHeadBytes: 1024, maxBodyBytes: 4096)
        configure(&configuration)
        server = try HTTPServer.start(
            configuration: configuration,
            responder: TestResponder(gate: gate, entered: entered),
            observer: observer
        )
    }

    var port: Int { server.port }

    func client() throws -> TestClient { try TestClient(port: port) }

    func stop() {
        for _ in 0..<16 { gate.signal() }
        server.shutdown()
        server.waitUntilStopped()
    }
}

func threadCount() -> Int {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("Threads:") } ?? ""
    return Int(line.split(separator: "\t").last.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? "") ?? -1
}
