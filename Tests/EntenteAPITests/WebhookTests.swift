import Digest
import Foundation
import XCTest
import EntenteAPI
import HTTPServer
import JSON
import Logging
import TestSupport
import Registry
import SQLite
#if canImport(Glibc)
import Glibc
#endif

// MARK: - A webhook receiver on loopback

/// A tiny blocking HTTP server on a thread: it records every request (method,
/// path, headers, body, arrival time) and answers each with the next status of
/// its script, then `fallback` once the script is used up. One request per
/// connection (it answers `Connection: close`).
/// `@unchecked`: its mutable state is only touched while `lock` is held.
final class WebhookReceiver: @unchecked Sendable {
    struct Received {
        let method: String
        let path: String
        /// Lowercased names.
        let headers: [String: String]
        let body: [UInt8]
        let arrived: Date
        let status: Int

        var text: String { String(decoding: body, as: UTF8.self) }
    }

    let port: Int
    private let listenFD: Int32
    private let lock = NSLock()
    private var script: [Int]
    private let fallback: Int
    private var delays: [Double]
    private var received: [Received] = []
    private let finished = DispatchSemaphore(value: 0)
    private var stopped = false

    var url: String { "http://127.0.0.1:\(port)/hook" }

    /// Listens on `port` (0: any free port).
    /// `delays`: seconds to wait before answering each request, in order (then none).
    init(port: Int = 0, statuses: [Int] = [], fallback: Int = 200, delays: [Double] = []) throws {
        script = statuses
        self.fallback = fallback
        self.delays = delays
        let fd: Int32
        do {
            fd = try Loopback.bind(port: port, reuseAddress: true)
        } catch {
            throw TestFailure("could not listen on port \(port): \(error)")
        }
        guard listen(fd, 64) == 0 else {
            close(fd)
            throw TestFailure("could not listen on port \(port): errno \(errno)")
        }
        listenFD = fd
        self.port = Loopback.localPort(fd)
        let thread = Thread { [self] in
            acceptLoop()
            finished.signal()
        }
        thread.name = "webhook-receiver"
        thread.start()
    }

    deinit { stop() }

    /// A loopback port that nothing listens on (bound once, then released).
    static func unusedPort() throws -> Int {
        let fd = try Loopback.bind(port: 0)
        defer { close(fd) }
        return Loopback.localPort(fd)
    }

    func stop() {
        lock.lock()
        let already = stopped
        stopped = true
        lock.unlock()
        guard !already else { return }
        shutdown(listenFD, Int32(SHUT_RDWR))
        finished.wait()
        close(listenFD)
    }

    var requests: [Received] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// Waits until at least `count` requests arrived; returns them all.
    func wait(for count: Int, timeout: Double = 15, file: StaticString = #filePath, line: UInt = #line) throws -> [Received] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let now = requests
            if now.count >= count { return now }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw TestFailure("the receiver got \(requests.count) requests in \(timeout) s, expected \(count)")
    }

    private func acceptLoop() {
        while true {
            let client = accept(listenFD, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            handle(client)
            close(client)
        }
    }

    private func handle(_ fd: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        func fill() -> Bool {
            let count = recv(fd, &chunk, chunk.count, 0)
            guard count > 0 else { return false }
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
        var headEnd: Int?
        while headEnd == nil {
            guard fill() else { return }
            headEnd = Self.find([13, 10, 13, 10], in: buffer)
        }
        let lines = String(decoding: buffer[0..<headEnd!], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        if headers["expect"]?.lowercased() == "100-continue" { send(fd, "HTTP/1.1 100 Continue\r\n\r\n") }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyStart = headEnd! + 4
        while buffer.count < bodyStart + length {
            guard fill() else { break }
        }
        let body = Array(buffer[bodyStart..<min(buffer.count, bodyStart + length)])
        lock.lock()
        let status = script.isEmpty ? fallback : script.removeFirst()
        received.append(Received(method: requestLine.first.map(String.init) ?? "", path: requestLine.count > 1 ? String(requestLine[1]) : "",
                                 headers: headers, body: body, arrived: Date(), status: status))
        let delay = delays.isEmpty ? 0 : delays.removeFirst()
        lock.unlock()
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
        let answer = "{\"ok\":\(status < 300)}"
        send(fd, "HTTP/1.1 \(status) Scripted\r\nContent-Type: application/json\r\nContent-Length: \(answer.utf8.count)\r\nConnection: close\r\n\r\n\(answer)")
    }

    private func send(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return }
            offset += sent
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}

// MARK: - A server whose API counts into /metrics, and deliverers

/// A LiveServer's database served by a second HTTP server whose observer is
/// the API's `Metrics` (LiveServer's own server only logs), and the webhook
/// deliverers started against it, stopped before anything is closed.
final class WebhookHarness {
    static let schedule = WebhookDeliverer.Schedule(firstRetry: 0.3, maxRetries: 3, timeout: 2, pollInterval: 0.05)

    let live: LiveServer
    let api: EntenteAPI
    let server: HTTPServer
    let log: LogCapture
    private var deliverers: [WebhookDeliverer] = []
    private var extraPools: [DatabasePool] = []

    init() throws {
        live = try LiveServer()
        api = EntenteAPI(registry: live.registry, openAPIDocument: Array("openapi: 3.1.0\n".utf8))
        log = try LogCapture()
        server = try HTTPServer.start(configuration: ServerConfiguration(port: 0), responder: api,
                                      observer: ObserverGroup([api.metrics, AccessLog(log: JSONLineLog(fd: log.writeFD))]))
    }

    /// The admin's client on the metrics-counting server.
    var client: APIClient { APIClient(port: server.port, token: live.adminToken) }

    /// Starts a deliverer (on the LiveServer's registry unless told otherwise) reporting into the API's metrics.
    @discardableResult
    func startDeliverer(registry: Registry? = nil) -> WebhookDeliverer {
        let deliverer = WebhookDeliverer(registry: registry ?? live.registry, metrics: api.metrics, log: JSONLineLog(fd: log.writeFD),
                                         schedule: Self.schedule)
        deliverers.append(deliverer)
        deliverer.start()
        return deliverer
    }

    /// A second registry over the same file, as a restarted process would open it.
    func reopenedRegistry() throws -> Registry {
        let pool = try DatabasePool(path: live.databasePath)
        extraPools.append(pool)
        return Registry(pool: pool)
    }

    func tearDown() {
        for deliverer in deliverers { deliverer.stop() }
        deliverers = []
        server.shutdown()
        server.waitUntilStopped()
        for pool in extraPools { pool.close() }
        extraPools = []
    }

    /// Registers a webhook through the API; returns its id.
    func createWebhook(url: String, events: [String], secret: String) throws -> String {
        let response = try client.post("/v1/webhooks", ["url": .string(url), "events": .array(events.map(JSON.string)), "secret": .string(secret)])
        guard response.status == 201, let id = response.json?["id"]?.stringValue else {
            throw TestFailure("webhook: \(response.status) \(response.text)")
        }
        return id
    }

    /// The delivery attempts listed by the API, once at least `count` are there.
    func deliveries(_ webhook: String, atLeast count: Int, timeout: Double = 15) throws -> [JSON] {
        let deadline = Date().addingTimeInterval(timeout)
        var items: [JSON] = []
        repeat {
            let response = try client.get("/v1/webhooks/\(webhook)/deliveries")
            guard response.status == 200 else { throw TestFailure("deliveries: \(response.status) \(response.text)") }
            items = response.json?["items"]?.arrayValue ?? []
            if items.count >= count { return items }
            Thread.sleep(forTimeInterval: 0.02)
        } while Date() < deadline
        throw TestFailure("\(items.count) deliveries listed after \(timeout) s, expected \(count)")
    }

    /// The outbox status of the event queued for `webhook` (one expected).
    func outboxStatus(_ webhook: String) throws -> [String] {
        try live.pool.withReader { try $0.query("SELECT status FROM webhook_outbox WHERE webhook_id = ? ORDER BY seq", [webhook]).compactMap { $0.string("status") } }
    }

    func metrics() throws -> String {
        let response = try APIClient(port: server.port, token: nil).get("/metrics")
        guard response.status == 200 else { throw TestFailure("metrics: \(response.status)") }
        return response.text
    }

    /// Waits until `/metrics` shows `series` with `value`; returns the last text seen.
    @discardableResult
    func waitForMetric(_ series: String, _ value: Double, timeout: Double = 5) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var text = ""
        repeat {
            text = try metrics()
            if Self.sample(series, in: text) == value { return text }
            Thread.sleep(forTimeInterval: 0.02)
        } while Date() < deadline
        throw TestFailure("\(series) is \(Self.sample(series, in: text).map { "\($0)" } ?? "absent"), expected \(value)\n\(text)")
    }

    /// The value of one exact series (`name{labels}`) in a Prometheus text.
    static func sample(_ series: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }
}

// MARK: - Signatures

enum Signature {
    /// Checks `Entente-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "t.body")>`; returns t.
    static func verify(_ header: String?, body: [UInt8], secret: String, file: StaticString = #filePath, line: UInt = #line) -> Int? {
        guard let header else {
            XCTFail("no Entente-Signature header", file: file, line: line)
            return nil
        }
        var fields: [String: String] = [:]
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
        }
        guard let t = fields["t"].flatMap(Int.init), let v1 = fields["v1"] else {
            XCTFail("malformed Entente-Signature \(header)", file: file, line: line)
            return nil
        }
        let expected = Hex.encode(SHA256.hmac(key: Array(secret.utf8), message: Array("\(t).".utf8) + body))
        XCTAssertEqual(v1, expected, "v1 is the hex HMAC-SHA256 of \"t.body\" under the webhook's secret", file: file, line: line)
        XCTAssertEqual(v1.count, 64, file: file, line: line)
        XCTAssertNotEqual(v1, Hex.encode(SHA256.hmac(key: Array("another secret!!".utf8), message: Array("\(t).".utf8) + body)),
                          file: file, line: line)
        XCTAssertLessThan(abs(t - Int(Date().timeIntervalSince1970)), 120, "t is the current Unix time", file: file, line: line)
        return t
    }
}

// MARK: - Delivery

final class WebhookDeliveryTests: XCTestCase {
    private var harness: WebhookHarness!
    private var receivers: [WebhookReceiver] = []

    override func setUpWithError() throws {
        harness = try WebhookHarness()
    }

    override func tearDown() {
        harness?.tearDown()
        harness = nil
        for receiver in receivers { receiver.stop() }
        receivers = []
    }

    private func receiver(port: Int = 0, statuses: [Int] = [], fallback: Int = 200, delays: [Double] = []) throws -> WebhookReceiver {
        let receiver = try WebhookReceiver(port: port, statuses: statuses, fallback: fallback, delays: delays)
        receivers.append(receiver)
        return receiver
    }

    func testDeliversPartnerCreatedSignedWithTheEvent() throws {
        let receiver = try receiver()
        let secret = "whsec-0123456789abcdef"
        let hook = try harness.createWebhook(url: receiver.url, events: ["partner.created"], secret: secret)
        harness.startDeliverer()
        let partner = try Fixtures(client: harness.client).partner("Musée des Confluences")

        let request = try receiver.wait(for: 1)[0]
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.path, "/hook")
        XCTAssertTrue(request.headers["content-type"]?.hasPrefix("application/json") ?? false, "\(request.headers)")
        XCTAssertNotNil(Signature.verify(request.headers["entente-signature"], body: request.body, secret: secret))

        let event = try JSON.parse(request.body)
        XCTAssertEqual(event.objectValue.map { Set($0.keys) }, ["id", "type", "at", "data"])
        XCTAssertEqual(event["type"]?.stringValue, "partner.created")
        XCTAssertEqual(event["data"]?["entity_id"]?.stringValue, partner)
        XCTAssertEqual(event["data"]?["changes"]?["name"]?.stringValue, "Musée des Confluences")
        XCTAssertFalse(request.text.contains(secret), "the secret is never sent")
        let audit = try harness.client.get("/v1/audit?entity_id=\(partner)")
        let entry = try XCTUnwrap(audit.json?["items"]?.arrayValue?.first)
        XCTAssertEqual(event["id"]?.stringValue, entry["id"]?.stringValue, "the event id is the audit entry's")
        XCTAssertEqual(event["at"]?.stringValue, entry["at"]?.stringValue)
        let events = try harness.client.get("/v1/events?limit=500")
        XCTAssertTrue(events.json?["items"]?.arrayValue?.contains { $0["id"]?.stringValue == event["id"]?.stringValue } ?? false,
                      "the same event is listed by /v1/events")

        let deliveries = try harness.deliveries(hook, atLeast: 1)
        XCTAssertEqual(deliveries.count, 1)
        let delivery = deliveries[0]
        XCTAssertEqual(delivery["event_id"]?.stringValue, event["id"]?.stringValue)
        XCTAssertEqual(delivery["event_type"]?.stringValue, "partner.created")
        XCTAssertEqual(delivery["attempt"]?.intValue, 1)
        XCTAssertEqual(delivery["status_code"]?.intValue, 200)
        XCTAssertEqual(delivery["error"], .null)
        XCTAssertGreaterThanOrEqual(delivery["duration_ms"]?.intValue ?? -1, 0)
        XCTAssertNotNil(delivery["at"]?.stringValue.flatMap(CalendarDate.normalizedInstant), "at is an RFC 3339 instant")
        XCTAssertEqual(try harness.outboxStatus(hook), ["delivered"])
        try harness.waitForMetric("entente_webhook_deliveries_total{outcome=\"delivered\"}", 1)

        // Delivered once: no retry, and events the webhook does not want are not sent.
        _ = try harness.client.post("/v1/projects", ["title": "Nuits des musées"])
        Thread.sleep(forTimeInterval: 0.6)
        XCTAssertEqual(receiver.requests.count, 1)
        XCTAssertEqual(try harness.deliveries(hook, atLeast: 0).count, 1)
    }

    func testFailsTwiceThenSucceedsWithThreeAttempts() throws {
        let receiver = try receiver(statuses: [500, 500, 204])
        let secret = "retry-secret-0123456789"
        let hook = try harness.createWebhook(url: receiver.url, events: ["partner.created"], secret: secret)
        harness.startDeliverer()
        let partner = try Fixtures(client: harness.client).partner("Festival Lumière")

        let deliveries = try harness.deliveries(hook, atLeast: 3)
        XCTAssertEqual(deliveries.count, 3)
        XCTAssertEqual(deliveries.map { $0["attempt"]?.intValue }, [1, 2, 3])
        XCTAssertEqual(deliveries.map { $0["status_code"]?.intValue }, [500, 500, 204])
        XCTAssertNotNil(deliveries[0]["error"]?.stringValue, "a failed attempt says why")
        XCTAssertEqual(deliveries[2]["error"], .null)
        XCTAssertEqual(Set(deliveries.compactMap { $0["event_id"]?.stringValue }).count, 1, "three attempts at one event")
        XCTAssertEqual(deliveries.map { $0["event_type"]?.stringValue }, Array(repeating: "partner.created", count: 3))

        let requests = receiver.requests
        XCTAssertEqual(requests.count, 3)
        XCTAssertEqual(Set(requests.map(\.body)).count, 1, "every attempt sends the same body")
        XCTAssertEqual(Set(requests.compactMap { $0.headers["entente-event-id"] }), [deliveries[0]["event_id"]?.stringValue ?? "?"])
        for request in requests { _ = Signature.verify(request.headers["entente-signature"], body: request.body, secret: secret) }
        XCTAssertEqual(try JSON.parse(requests[0].body)["data"]?["entity_id"]?.stringValue, partner)
        if requests.count == 3 {
            // First retry after at most firstRetry (0.3 s, −20%), the next one doubled (0.6 s ± 20%).
            let first = requests[1].arrived.timeIntervalSince(requests[0].arrived)
            let second = requests[2].arrived.timeIntervalSince(requests[1].arrived)
            XCTAssertGreaterThanOrEqual(first, 0.2, "the first retry waits")
            XCTAssertLessThan(first, 2.0)
            XCTAssertGreaterThanOrEqual(second, 0.45, "the second retry waits about twice as long")
        }
        XCTAssertEqual(try harness.outboxStatus(hook), ["delivered"])
        Thread.sleep(forTimeInterval: 0.8)
        XCTAssertEqual(receiver.requests.count, 3, "nothing more once delivered")
        let text = try harness.waitForMetric("entente_webhook_deliveries_total{outcome=\"delivered\"}", 1)
        XCTAssertEqual(WebhookHarness.sample("entente_webhook_deliveries_total{outcome=\"failed_attempt\"}", in: text), 2)
        XCTAssertEqual(WebhookHarness.sample("entente_webhook_deliveries_total{outcome=\"gave_up\"}", in: text), 0)
    }

    func testAlwaysFailingReceiverEndsFailedAfterMaxRetriesPlusOne() throws {
        let receiver = try receiver(fallback: 503)
        let hook = try harness.createWebhook(url: receiver.url, events: ["partner.created"], secret: "give-up-secret-0123")
        harness.startDeliverer()
        _ = try Fixtures(client: harness.client).partner("Fondation Lumière")

        let deadline = Date().addingTimeInterval(20)
        while try harness.outboxStatus(hook) != ["failed"], Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertEqual(try harness.outboxStatus(hook), ["failed"])
        let attempts = WebhookHarness.schedule.maxRetries + 1
        let deliveries = try harness.deliveries(hook, atLeast: attempts)
        XCTAssertEqual(deliveries.map { $0["attempt"]?.intValue }, (1...attempts).map { Int64($0) })
        XCTAssertEqual(Set(deliveries.map { $0["status_code"]?.intValue }), [503])
        XCTAssertEqual(receiver.requests.count, attempts)

        // A fifth try would come about 2.4 s after the fourth; wait beyond the jitter.
        Thread.sleep(forTimeInterval: 3.2)
        XCTAssertEqual(receiver.requests.count, attempts, "no attempt after giving up")
        XCTAssertEqual(try harness.deliveries(hook, atLeast: 0).count, attempts)
        XCTAssertEqual(try harness.outboxStatus(hook), ["failed"])
        let text = try harness.waitForMetric("entente_webhook_deliveries_total{outcome=\"gave_up\"}", 1)
        XCTAssertEqual(WebhookHarness.sample("entente_webhook_deliveries_total{outcome=\"failed_attempt\"}", in: text), Double(attempts - 1))
        XCTAssertEqual(WebhookHarness.sample("entente_webhook_deliveries_total{outcome=\"delivered\"}", in: text), 0)
    }

    /// An answer slower than the timeout (2 s here) counts as a failed attempt and is retried.
    func testTimeoutIsAFailedAttemptAndIsRetried() throws {
        let receiver = try receiver(delays: [3.5])
        let hook = try harness.createWebhook(url: receiver.url, events: ["partner.created"], secret: "timeout-secret-0123456789")
        harness.startDeliverer()
        _ = try Fixtures(client: harness.client).partner("Opéra de Lyon")

        let deliveries = try harness.deliveries(hook, atLeast: 2, timeout: 20)
        XCTAssertEqual(deliveries.map { $0["attempt"]?.intValue }, [1, 2])
        XCTAssertEqual(deliveries[0]["status_code"], .null, "no status within the timeout")
        XCTAssertNotNil(deliveries[0]["error"]?.stringValue)
        XCTAssertLessThan(deliveries[0]["duration_ms"]?.intValue ?? .max, 3_400, "the attempt was cut at the timeout, not at the answer")
        XCTAssertGreaterThanOrEqual(deliveries[0]["duration_ms"]?.intValue ?? 0, 1_500)
        XCTAssertEqual(deliveries[1]["status_code"]?.intValue, 200)
        XCTAssertEqual(try harness.outboxStatus(hook), ["delivered"])
        XCTAssertEqual(receiver.requests.count, 2)
    }

    /// The receiver is down while a deliverer runs; that deliverer stops, and
    /// another one over a freshly opened database (a restart) delivers the
    /// event once the receiver is up, because the outbox lives in the file.
    func testPendingEventSurvivesARestartAndIsDeliveredLater() throws {
        let port = try WebhookReceiver.unusedPort()
        let url = "http://127.0.0.1:\(port)/hook"
        let secret = "restart-secret-0123456789"
        let hook = try harness.createWebhook(url: url, events: ["partner.created"], secret: secret)
        let first = harness.startDeliverer()
        let partner = try Fixtures(client: harness.client).partner("Théâtre des Célestins")

        let failed = try harness.deliveries(hook, atLeast: 1)
        first.stop()
        let before = try harness.deliveries(hook, atLeast: 0)
        XCTAssertGreaterThanOrEqual(before.count, failed.count)
        XCTAssertLessThan(before.count, WebhookHarness.schedule.maxRetries + 1, "stopped before giving up")
        for attempt in before {
            XCTAssertEqual(attempt["status_code"], .null, "nothing answered: no status code")
            XCTAssertNotNil(attempt["error"]?.stringValue, "a connection error is recorded")
        }
        XCTAssertEqual(try harness.outboxStatus(hook), ["pending"])
        Thread.sleep(forTimeInterval: 0.7)
        XCTAssertEqual(try harness.deliveries(hook, atLeast: 0).count, before.count, "a stopped deliverer makes no attempt")

        let receiver = try receiver(port: port)
        harness.startDeliverer(registry: try harness.reopenedRegistry())
        let request = try receiver.wait(for: 1)[0]
        XCTAssertNotNil(Signature.verify(request.headers["entente-signature"], body: request.body, secret: secret))
        XCTAssertEqual(try JSON.parse(request.body)["data"]?["entity_id"]?.stringValue, partner)

        let after = try harness.deliveries(hook, atLeast: before.count + 1)
        XCTAssertEqual(after.count, before.count + 1)
        XCTAssertEqual(after.last?["attempt"]?.intValue, Int64(before.count + 1), "attempts go on counting across the restart")
        XCTAssertEqual(after.last?["status_code"]?.intValue, 200)
        XCTAssertEqual(Set(after.compactMap { $0["event_id"]?.stringValue }).count, 1)
        XCTAssertEqual(try harness.outboxStatus(hook), ["delivered"])
        XCTAssertEqual(receiver.requests.count, 1)
    }
}

// MARK: - Webhook resources over HTTP

final class WebhookResourceTests: XCTestCase {
    func testCreateReadListDeleteNeverShowingTheSecret() throws {
        let server = try LiveServer()
        let client = server.client()
        let secret = "top-secret-value-0123456789"
        let created = try client.post("/v1/webhooks", ["url": "https://intranet.example/entente", "events": ["convention.in_force", "partner.created"],
                                                       "secret": .string(secret)])
        XCTAssertEqual(created.status, 201, created.text)
        let id = try XCTUnwrap(created.json?["id"]?.stringValue)
        XCTAssertEqual(created.header("Location"), "/v1/webhooks/\(id)")
        XCTAssertEqual(created.json?["url"]?.stringValue, "https://intranet.example/entente")
        XCTAssertEqual(Set(created.json?["events"]?.arrayValue?.compactMap(\.stringValue) ?? []), ["convention.in_force", "partner.created"])
        XCTAssertEqual(created.json?["version"]?.intValue, 1)
        XCTAssertNil(created.json?["secret"], "the secret is never returned")
        XCTAssertFalse(created.text.contains(secret))

        let fetched = try client.get("/v1/webhooks/\(id)")
        XCTAssertEqual(fetched.status, 200)
        XCTAssertEqual(fetched.json?["id"]?.stringValue, id)
        XCTAssertEqual(fetched.header("ETag"), "\"1\"")
        XCTAssertNil(fetched.json?["secret"])
        XCTAssertFalse(fetched.text.contains(secret))

        let list = try client.get("/v1/webhooks")
        XCTAssertEqual(list.status, 200)
        XCTAssertEqual(list.json?["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue }, [id])
        XCTAssertFalse(list.text.contains(secret))

        // Nor in the audit trail, the events or the log.
        let audit = try client.get("/v1/audit?entity_type=webhook")
        XCTAssertEqual(audit.json?["items"]?.arrayValue?.first?["action"]?.stringValue, "webhook.created")
        XCTAssertFalse(audit.text.contains(secret), "the audit entry does not hold the secret")
        XCTAssertFalse(try client.get("/v1/events").text.contains(secret))
        XCTAssertFalse(server.logPipe.text.contains(secret))

        XCTAssertEqual(try client.get("/v1/webhooks/\(id)/deliveries").json?["items"]?.arrayValue?.count, 0)
        let deleted = try client.delete("/v1/webhooks/\(id)")
        XCTAssertEqual(deleted.status, 204)
        XCTAssertEqual(deleted.body.count, 0)
        XCTAssertEqual(try client.get("/v1/webhooks/\(id)").status, 404)
        XCTAssertEqual(try client.get("/v1/webhooks/\(id)").code, "not_found")
        XCTAssertEqual(try client.delete("/v1/webhooks/\(id)").status, 404)
        XCTAssertEqual(try client.get("/v1/webhooks/\(id)/deliveries").status, 404)
        XCTAssertEqual(try client.get("/v1/webhooks").json?["items"]?.arrayValue?.count, 0)
        XCTAssertEqual(try client.get("/v1/audit?entity_type=webhook").json?["items"]?.arrayValue?.first?["action"]?.stringValue, "webhook.deleted")
    }

    func testValidation() throws {
        let server = try LiveServer()
        let client = server.client()
        let good: JSONObject = ["url": "https://intranet.example/hook", "events": ["*"], "secret": "s3cret"]
        XCTAssertEqual(try client.post("/v1/webhooks", .object(good)).status, 201, "a short secret is the subscriber's choice")

        let cases: [(String, JSONObject, String)] = [
            ("ftp URL", ["url": "ftp://intranet.example/hook"], "url"),
            ("not a URL", ["url": "intranet"], "url"),
            ("url not a string", ["url": 42], "url"),
            ("empty events", ["events": []], "events"),
            ("not an event type", ["events": ["partner"]], "events"),
            ("unknown event type", ["events": ["no.such"]], "events"),
            ("a typo in an event type", ["events": ["convention.inforce"]], "events"),
            ("events not strings", ["events": [1]], "events"),
            ("empty secret", ["secret": ""], "secret"),
            ("secret not a string", ["secret": 42], "secret"),
            ("missing secret", ["secret": nil], "secret"),
            ("missing url", ["url": nil], "url"),
            ("missing events", ["events": nil], "events"),
            ("unknown field", ["active": true], "active"),
        ]
        for (label, change, field) in cases {
            var body = good
            for (key, value) in change {
                if value == .null { body.removeValue(forKey: key) } else { body[key] = value }
            }
            let response = try client.post("/v1/webhooks", .object(body))
            XCTAssertEqual(response.status, 422, "\(label): \(response.text)")
            XCTAssertEqual(response.code, "validation_failed", label)
            XCTAssertTrue(response.errorFields.contains(field), "\(label): errors name \(field), got \(response.errorFields)")
        }
        let several = try client.post("/v1/webhooks", ["url": "nope", "events": [], "secret": ""])
        XCTAssertEqual(several.status, 422)
        XCTAssertEqual(Set(several.errorFields), ["url", "events", "secret"], "every fault is listed")
        XCTAssertEqual(try client.get("/v1/webhooks").json?["items"]?.arrayValue?.count, 1, "nothing stored by refused requests")
        XCTAssertEqual(try server.count("webhooks"), 1)
    }

    /// URLs that pass a loose check but that no HTTP client can parse must be
    /// refused at registration: the deliverer builds `URL(string:)!` from them.
    func testURLsThatCannotBeParsedAreRefused() throws {
        let server = try LiveServer()
        let client = server.client()
        for url in ["http://[::1/hook", "http://a:b:c/hook", "http://[/", "http://]/hook"] {
            let response = try client.post("/v1/webhooks", ["url": .string(url), "events": ["*"], "secret": "0123456789abcdef"])
            XCTAssertEqual(response.status, 422, "\(url): \(response.status) \(response.text)")
            XCTAssertTrue(response.errorFields.contains("url"), url)
        }
        XCTAssertEqual(try server.count("webhooks"), 0, "none of them is stored")
    }

    func testOnlyAdminsManageWebhooks() throws {
        let server = try LiveServer()
        let admin = server.client()
        let created = try admin.post("/v1/webhooks", ["url": "https://intranet.example/hook", "events": ["*"], "secret": "0123456789abcdef"])
        let id = try XCTUnwrap(created.json?["id"]?.stringValue)
        let partner = try Fixtures(client: admin).partner("Musée")
        let tokens = [("editor", try server.token(role: "editor")), ("reader", try server.token(role: "reader")),
                      ("partner", try server.token(role: "partner", partnerID: partner))]
        for (role, token) in tokens {
            let client = server.client(token: token)
            let attempts = [
                try client.post("/v1/webhooks", ["url": "https://evil.example/hook", "events": ["*"], "secret": "0123456789abcdef"]),
                try client.get("/v1/webhooks"),
                try client.get("/v1/webhooks/\(id)"),
                try client.get("/v1/webhooks/\(id)/deliveries"),
                try client.delete("/v1/webhooks/\(id)"),
            ]
            for response in attempts {
                XCTAssertEqual(response.status, 403, "\(role): \(response.text)")
                XCTAssertEqual(response.code, "forbidden", role)
            }
        }
        XCTAssertEqual(try server.anonymous().get("/v1/webhooks").status, 401)
        XCTAssertEqual(try server.count("webhooks"), 1)
        XCTAssertEqual(try admin.get("/v1/webhooks/\(id)").status, 200, "still there")
    }
}

// MARK: - Metrics

final class MetricsTests: XCTestCase {
    func testRequestsAreCountedByRouteTemplateMethodAndStatus() throws {
        let harness = try WebhookHarness()
        defer { harness.tearDown() }
        let client = harness.client

        let initial = try APIClient(port: harness.server.port, token: nil).get("/metrics")
        XCTAssertEqual(initial.status, 200)
        XCTAssertTrue(initial.header("Content-Type")?.hasPrefix("text/plain") ?? false, initial.header("Content-Type") ?? "no Content-Type")
        XCTAssertTrue(initial.text.contains("# TYPE entente_http_requests_total counter"))
        XCTAssertNil(WebhookHarness.sample("entente_http_requests_total{route=\"/v1/partners\",method=\"POST\",status=\"201\"}", in: initial.text))

        let created = try client.post("/v1/partners", ["name": "Musée des Confluences", "kind": "institution", "country": "FR"])
        XCTAssertEqual(created.status, 201)
        let id = try XCTUnwrap(created.json?["id"]?.stringValue)
        try harness.waitForMetric("entente_http_requests_total{route=\"/v1/partners\",method=\"POST\",status=\"201\"}", 1)

        XCTAssertEqual(try client.post("/v1/partners", ["name": "Musée des Confluences", "kind": "institution", "country": "FR"]).status, 409)
        XCTAssertEqual(try client.get("/v1/partners/\(id)").status, 200)
        XCTAssertEqual(try client.get("/v1/partners/ptn_nothing").status, 404)
        XCTAssertEqual(try client.get("/v1/no-such-thing-42").status, 404)
        try harness.waitForMetric("entente_http_requests_total{route=\"/v1/partners\",method=\"POST\",status=\"409\"}", 1)
        try harness.waitForMetric("entente_http_requests_total{route=\"/v1/partners/{id}\",method=\"GET\",status=\"404\"}", 1)
        let text = try harness.waitForMetric("entente_http_requests_total{route=\"/v1/partners/{id}\",method=\"GET\",status=\"200\"}", 1)
        XCTAssertEqual(WebhookHarness.sample("entente_http_requests_total{route=\"/v1/partners\",method=\"POST\",status=\"201\"}", in: text), 1)
        XCTAssertFalse(text.contains(id), "labels are route templates, not paths")
        XCTAssertFalse(text.contains("no-such-thing-42"), "unmatched paths do not become labels")

        XCTAssertEqual(WebhookHarness.sample("entente_http_request_duration_seconds_count{route=\"/v1/partners\"}", in: text), 2)
        XCTAssertEqual(WebhookHarness.sample("entente_http_request_duration_seconds_bucket{route=\"/v1/partners\",le=\"+Inf\"}", in: text), 2)
        XCTAssertGreaterThan(WebhookHarness.sample("entente_http_request_duration_seconds_sum{route=\"/v1/partners\"}", in: text) ?? 0, 0)
        XCTAssertGreaterThanOrEqual(WebhookHarness.sample("entente_database_duration_seconds_count{kind=\"write\"}", in: text) ?? 0, 1)
        XCTAssertGreaterThanOrEqual(WebhookHarness.sample("entente_database_duration_seconds_count{kind=\"read\"}", in: text) ?? 0, 1)
        XCTAssertNotNil(WebhookHarness.sample("entente_open_connections", in: text))
        XCTAssertEqual(WebhookHarness.sample("entente_webhook_deliveries_total{outcome=\"delivered\"}", in: text), 0)

        // Every line is a comment or a well-formed sample; histogram buckets are cumulative.
        let sample = try NSRegularExpression(pattern: #"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? -?[0-9.eE+-]+$"#)
        var previous: (series: String, value: Double)?
        for line in text.split(separator: "\n").map(String.init) where !line.hasPrefix("#") {
            let range = NSRange(line.startIndex..., in: line)
            XCTAssertNotNil(sample.firstMatch(in: line, range: range), "not a Prometheus sample: \(line)")
            if line.contains("_bucket{"), let brace = line.range(of: ",le=") {
                let series = String(line[..<brace.lowerBound])
                let value = Double(line.split(separator: " ").last ?? "") ?? -1
                if let previous, previous.series == series { XCTAssertGreaterThanOrEqual(value, previous.value, line) }
                previous = (series, value)
            }
        }
    }
}
