import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The `entente` executable run as a user runs it: a child process, real files, real signals.
final class CommandLineTests: XCTestCase {
    /// `.build/<config>/entente`, beside the test bundle.
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("entente").path
    static let migrations = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Migrations").path

    private var directory: URL!

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw XCTSkip("entente binary not found at \(Self.binary)")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("entente-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    private var database: String { directory.appendingPathComponent("cli.sqlite").path }

    /// Runs to completion: exit status, stdout, stderr.
    private func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }.merging(["ENTENTE_MIGRATIONS": Self.migrations]) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }

    func testVersionHelpAndUsageErrors() throws {
        let (status, out, _) = try run(["--version"])
        XCTAssertEqual(status, 0)
        XCTAssertTrue(out.hasPrefix("entente "), out)
        let (helpStatus, help, _) = try run(["--help"])
        XCTAssertEqual(helpStatus, 0)
        XCTAssertTrue(help.contains("entente serve"), help)
        XCTAssertEqual(try run(["frobnicate"]).0, 2)
        XCTAssertEqual(try run(["keys", "create", "--db", database, "--name", "x", "--role", "emperor"]).0, 2)
        XCTAssertEqual(try run(["migrate"]).0, 2, "migrate needs --db")
        XCTAssertEqual(try run(["serve", "--idle-timeout", "0"]).0, 2)
        XCTAssertEqual(try run(["serve", "--max-body-bytes", "lots"]).0, 2)
    }

    func testMigrateThenKeysCreate() throws {
        let (status, _, _) = try run(["migrate", "--db", database])
        XCTAssertEqual(status, 0)
        let (keyStatus, token, _) = try run(["keys", "create", "--db", database, "--name", "Intranet", "--role", "editor"])
        XCTAssertEqual(keyStatus, 0)
        XCTAssertNotNil(token.trimmingCharacters(in: .whitespacesAndNewlines).range(of: "^ent_[0-9a-f]{64}$", options: .regularExpression), token)
        let (partnerStatus, _, partnerError) = try run(["keys", "create", "--db", database, "--name", "P", "--role", "partner", "--partner", "ptn_missing"])
        XCTAssertEqual(partnerStatus, 1)
        XCTAssertTrue(partnerError.contains("partner"), partnerError)
    }

    /// Starts `entente serve` on a free port; returns once it logged "started".
    private func startServe(_ environment: [String: String] = [:], extra: [String] = []) throws -> (process: Process, out: Pipe, err: Pipe, logged: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["serve", "--port", "0", "--db", database] + extra
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }.merging(["ENTENTE_MIGRATIONS": Self.migrations]) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        var logged = ""
        while !logged.contains("\"msg\":\"started\"") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            logged += String(decoding: chunk, as: UTF8.self)
        }
        return (process, out, err, logged)
    }

    func testARevokedSeedTokenStaysRevokedAndTheServerStillStarts() throws {
        let seed = ["ENTENTE_ADMIN_KEY": "seed-token-0123456789abcdef"]
        let first = try startServe(seed)
        XCTAssertTrue(first.logged.contains("admin key seeded"), first.logged)
        kill(first.process.processIdentifier, SIGTERM)
        first.process.waitUntilExit()
        XCTAssertEqual(first.process.terminationStatus, 0)

        // Revoke the seeded key in the file, as an operator would through the API.
        let sqlite = "/usr/bin/sqlite3"
        guard FileManager.default.isExecutableFile(atPath: sqlite) else { throw XCTSkip("sqlite3 is not installed") }
        let revoke = Process()
        revoke.executableURL = URL(fileURLWithPath: sqlite)
        revoke.arguments = [database, "UPDATE api_keys SET revoked_at = '2026-01-01T00:00:00Z'"]
        try revoke.run()
        revoke.waitUntilExit()

        let second = try startServe(seed)
        XCTAssertTrue(second.logged.contains("\"msg\":\"started\""), second.logged)
        XCTAssertTrue(second.logged.contains("names a revoked key"), second.logged)
        kill(second.process.processIdentifier, SIGTERM)
        second.process.waitUntilExit()
        XCTAssertEqual(second.process.terminationStatus, 0)
    }

    func testServeBootstrapsAnAdminTokenAnswersAndStopsOnSIGTERM() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["serve", "--port", "0", "--db", database, "--max-body-bytes", "2048"]
        process.environment = ProcessInfo.processInfo.environment.merging(["ENTENTE_MIGRATIONS": Self.migrations]) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()

        // The "started" log line names the port bound.
        var logged = ""
        var port: Int?
        let deadline = Date().addingTimeInterval(20)
        while port == nil && Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            logged += String(decoding: chunk, as: UTF8.self)
            for line in logged.split(separator: "\n") where line.contains("\"msg\":\"started\"") {
                port = line.range(of: #""port":(\d+)"#, options: .regularExpression).flatMap { Int(line[$0].dropFirst(7)) }
            }
        }
        let bound = try XCTUnwrap(port, "no started line in: \(logged)")
        XCTAssertTrue(logged.contains("\"msg\":\"migration applied\""), logged)
        XCTAssertEqual(try get(port: bound, path: "/healthz"), 200)
        XCTAssertEqual(try get(port: bound, path: "/readyz"), 200)
        XCTAssertEqual(try run(["healthcheck", "--url", "http://127.0.0.1:\(bound)/healthz"]).0, 0)
        XCTAssertEqual(try request(port: bound, "GET /openapi.yaml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").prefix(200).contains("openapi: 3.1"), true,
                       "the served document is docs/openapi.yaml")
        let big = String(repeating: "x", count: 3000)
        XCTAssertTrue(try request(port: bound, "POST /v1/partners HTTP/1.1\r\nHost: x\r\nContent-Length: 3000\r\n\r\n\(big)").hasPrefix("HTTP/1.1 413"),
                      "--max-body-bytes is honoured")
        XCTAssertEqual(try run(["healthcheck", "--url", "http://127.0.0.1:\(bound)/nothing-here"]).0, 1)

        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit)
        XCTAssertEqual(process.terminationStatus, 0)
        let rest = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(rest.contains("\"msg\":\"stopped\""), rest)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertNotNil(stderr.range(of: "ent_[0-9a-f]{64}", options: .regularExpression), "the first admin token is printed once: \(stderr)")
        XCTAssertFalse((logged + rest).contains("ent_"), "the token never reaches the JSON log")
    }

    /// GET over a plain socket; the status code.
    private func get(port: Int, path: String) throws -> Int {
        let reply = try request(port: port, "GET \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        guard reply.count > 12 else { return -1 }
        return Int(reply.dropFirst(9).prefix(3)) ?? -1
    }

    /// Sends raw bytes, reads until the server closes; the reply as text.
    private func request(port: Int, _ raw: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return "" }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(raw.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            reply.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: reply, as: UTF8.self)
    }
}
