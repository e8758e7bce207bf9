import Foundation
import XCTest
import EntenteAPI
import HTTPServer
import JSON
import Logging
import Registry
import SQLite
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A real Entente server for one test: a fresh SQLite file in a temporary
/// folder, every migration applied, an admin key, and the HTTP server on a
/// free loopback port. Requests go over real sockets.
final class LiveServer {
    static let migrationsFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Migrations").path

    let directory: URL
    let databasePath: String
    let pool: DatabasePool
    let registry: Registry
    let server: HTTPServer
    let adminToken: String
    let logPipe: LogCapture

    /// `directory` holds the database (a fresh temporary folder by default).
    init(directory: URL? = nil, configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        self.directory = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("entente-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        databasePath = self.directory.appendingPathComponent("entente.sqlite").path
        pool = try DatabasePool(path: databasePath)
        _ = try pool.withWriter { try Registry.migrate($0, with: Migrator(directory: Self.migrationsFolder)) }
        registry = Registry(pool: pool)
        adminToken = try registry.createKey(name: "test admin", role: .admin, partnerID: nil).token
        logPipe = try LogCapture()
        var configuration = ServerConfiguration(port: 0)
        configure(&configuration)
        server = try HTTPServer.start(
            configuration: configuration,
            responder: EntenteAPI(registry: registry, openAPIDocument: Array("openapi: 3.1.0\n".utf8), log: JSONLineLog(fd: logPipe.writeFD)),
            observer: AccessLog(log: JSONLineLog(fd: logPipe.writeFD))
        )
    }

    deinit {
        server.shutdown()
        server.waitUntilStopped()
        pool.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A client authenticated with `token` (the admin's by default).
    func client(token: String? = nil) -> APIClient {
        APIClient(port: server.port, token: token ?? adminToken)
    }

    /// A client with no token at all.
    func anonymous() -> APIClient {
        APIClient(port: server.port, token: nil)
    }

    /// Creates a key of `role` and returns its token.
    func token(role: String, partnerID: String? = nil) throws -> String {
        var body: JSON = ["name": .string("\(role) key"), "role": .string(role)]
        if let partnerID, case .object(var object) = body {
            object["partner_id"] = .string(partnerID)
            body = .object(object)
        }
        let response = try client().post("/v1/api-keys", body)
        guard response.status == 201, let token = response.json?["token"]?.stringValue else {
            throw TestFailure("could not create a \(role) key: \(response.status) \(response.text)")
        }
        return token
    }

    /// Row count of a table, read straight from the database file.
    func count(_ table: String) throws -> Int {
        try pool.withReader { Int(try $0.queryOne("SELECT count(*) AS n FROM \(table)")?.int("n") ?? 0) }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A response as the tests see it.
struct APIResponse {
    let status: Int
    let headers: [String: String]
    let body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: JSON? { try? JSON.parse(body) }
    func header(_ name: String) -> String? { headers[name.lowercased()] }
    /// The problem `code` of an error answer.
    var code: String? { json?["code"]?.stringValue }
    /// The fields named in a 422's `errors`.
    var errorFields: [String] { json?["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? [] }
}

/// A minimal HTTP/1.1 client over a blocking socket, one connection per request.
struct APIClient {
    let port: Int
    let token: String?

    func get(_ path: String, headers: [(String, String)] = []) throws -> APIResponse {
        try send("GET", path, body: nil, headers: headers)
    }

    func post(_ path: String, _ body: JSON? = nil, headers: [(String, String)] = []) throws -> APIResponse {
        try send("POST", path, body: body, headers: headers)
    }

    func patch(_ path: String, _ body: JSON, headers: [(String, String)] = []) throws -> APIResponse {
        try send("PATCH", path, body: body, headers: headers)
    }

    func put(_ path: String, _ body: JSON, headers: [(String, String)] = []) throws -> APIResponse {
        try send("PUT", path, body: body, headers: headers)
    }

    func delete(_ path: String, headers: [(String, String)] = []) throws -> APIResponse {
        try send("DELETE", path, body: nil, headers: headers)
    }

    func send(_ method: String, _ path: String, body: JSON?, headers: [(String, String)] = []) throws -> APIResponse {
        var extra = headers
        var bytes: [UInt8] = []
        if let body {
            body.write(to: &bytes)
            if !extra.contains(where: { $0.0.lowercased() == "content-type" }) { extra.append(("Content-Type", "application/json")) }
        }
        return try raw(method, path, body: bytes, headers: extra)
    }

    /// Sends exactly these bytes as the body, with these headers.
    func raw(_ method: String, _ path: String, body: [UInt8], headers: [(String, String)]) throws -> APIResponse {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        let reply = try exchange(Array(head.utf8) + body)
        return try parse(reply)
    }

    private func exchange(_ request: [UInt8]) throws -> [UInt8] {
        try Loopback.exchange(port: port, request, timeoutSeconds: 10)
    }

    private func parse(_ reply: [UInt8]) throws -> APIResponse {
        guard let split = (0..<max(0, reply.count - 3)).first(where: { reply[$0] == 13 && reply[$0 + 1] == 10 && reply[$0 + 2] == 13 && reply[$0 + 3] == 10 }) else {
            throw TestFailure("no response head in \(reply.count) bytes")
        }
        let lines = String(decoding: reply[0..<split], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return APIResponse(status: status, headers: headers, body: Array(reply[(split + 4)...]))
    }
}

/// Captures what the server logs, to check that secrets never reach it.
final class LogCapture: @unchecked Sendable {
    // `collected` is written by the reader thread and read after `stop()`,
    // both under `lock`.
    let writeFD: Int32
    private let readFD: Int32
    private let lock = NSLock()
    private var collected: [UInt8] = []

    init() throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw TestFailure("pipe failed") }
        readFD = fds[0]
        writeFD = fds[1]
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(readFD, &buffer, buffer.count)
                if count <= 0 { return }
                lock.lock()
                collected.append(contentsOf: buffer[0..<count])
                lock.unlock()
            }
        }
        thread.start()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: collected, as: UTF8.self)
    }

    /// Whether `fragment` reaches the log within `seconds`: lines are read
    /// from the pipe by another thread and may trail the response.
    func waitFor(_ fragment: String, seconds: Double = 5) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !text.contains(fragment) {
            guard Date() < deadline else { return false }
            usleep(10_000)
        }
        return true
    }
}

/// Builds the usual fixtures through the API.
struct Fixtures {
    let client: APIClient

    func partner(_ name: String, kind: String = "institution", country: String = "FR") throws -> String {
        let response = try client.post("/v1/partners", ["name": .string(name), "kind": .string(kind), "country": .string(country)])
        guard response.status == 201, let id = response.json?["id"]?.stringValue else { throw TestFailure("partner: \(response.status) \(response.text)") }
        return id
    }

    func project(_ title: String = "Project", partners: [String: String] = [:]) throws -> String {
        let response = try client.post("/v1/projects", ["title": .string(title), "status": "active"])
        guard response.status == 201, let id = response.json?["id"]?.stringValue else { throw TestFailure("project: \(response.status) \(response.text)") }
        for (partner, role) in partners.sorted(by: { $0.key < $1.key }) {
            let put = try client.put("/v1/projects/\(id)/partners/\(partner)", ["role": .string(role)])
            guard put.status == 201 else { throw TestFailure("participant: \(put.status) \(put.text)") }
        }
        return id
    }

    /// A draft convention between `parties` (partner id → pledged cents).
    func convention(project: String, parties: [(String, Int64)], governance: JSON = ["voting": "equal"], extra: JSONObject = [:]) throws -> String {
        var body: JSONObject = [
            "project_id": .string(project), "title": "Convention de partenariat", "governance": governance,
            "parties": .array(parties.map { party in
                .object(["partner_id": .string(party.0),
                         "contributions": [["kind": "financial", "description": "Apport", "value_cents": .int(party.1)]]])
            }),
        ]
        for (key, value) in extra { body[key] = value }
        let response = try client.post("/v1/conventions", .object(body))
        guard response.status == 201, let id = response.json?["id"]?.stringValue else { throw TestFailure("convention: \(response.status) \(response.text)") }
        return id
    }

    /// Submits and has every party sign: the convention ends in force.
    func bringIntoForce(_ convention: String, parties: [String]) throws {
        let submit = try client.post("/v1/conventions/\(convention)/submit")
        guard submit.status == 200 else { throw TestFailure("submit: \(submit.status) \(submit.text)") }
        for party in parties {
            let sign = try client.post("/v1/conventions/\(convention)/signatures", ["partner_id": .string(party), "signatory": "Signataire"])
            guard sign.status == 201 else { throw TestFailure("sign: \(sign.status) \(sign.text)") }
        }
    }
}

// MARK: - Time and the event feed (API.md §14)

extension LiveServer {
    /// Stops the registry's clock at `timestamp`, an RFC 3339 UTC instant
    /// such as `2030-03-10T12:00:00Z`; every request then reads that time.
    func setClock(_ timestamp: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let date = ISO8601DateFormatter().date(from: timestamp) else {
            return XCTFail("not an RFC 3339 UTC instant: \(timestamp)", file: file, line: line)
        }
        let instant = Instant(epochSeconds: Int(date.timeIntervalSince1970))
        XCTAssertEqual(instant.timestamp, timestamp, "the clock is set to the second", file: file, line: line)
        registry.clock.set(instant)
    }

    /// Every event of the feed the admin sees, oldest first (reading the
    /// feed settles due dates first, as the server does).
    func events(_ type: String? = nil) throws -> [JSON] {
        var all: [JSON] = []
        var cursor: String?
        while true {
            let page = try client().get("/v1/events?limit=500" + (cursor.map { "&after=\($0)" } ?? ""))
            guard page.status == 200, let items = page.json?["items"]?.arrayValue, let next = page.json?["next_cursor"]?.stringValue else {
                throw TestFailure("events: \(page.status) \(page.text)")
            }
            if items.isEmpty { break }
            all += items
            cursor = next
        }
        return type.map { type in all.filter { $0["type"]?.stringValue == type } } ?? all
    }

    /// Rows of `table` matching `condition` (SQL), read straight from the file.
    func count(_ table: String, where condition: String, _ arguments: [String]) throws -> Int {
        try pool.withReader { Int(try $0.queryOne("SELECT count(*) AS n FROM \(table) WHERE \(condition)", arguments)?.int("n") ?? 0) }
    }
}

/// A counter several threads may bump (`@unchecked`: `count` is only touched under `lock`).
final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
