import Foundation
import XCTest
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `entente serve`, `migrate`, `keys create` and `healthcheck` as a user runs them.
final class CommandLineTests: EntenteProcessTestCase {
    private var database: String { entente.path("cli.sqlite") }

    func testVersion() throws {
        let result = try entente.run(["--version"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.out.hasPrefix("entente "), result.out)
    }

    func testMigrateThenKeysCreate() throws {
        XCTAssertEqual(try entente.run(["migrate", "--db", database]).status, 0)
        let key = try entente.run(["keys", "create", "--db", database, "--name", "Intranet", "--role", "editor"])
        XCTAssertEqual(key.status, 0, key.err)
        XCTAssertTrue(key.out.trimmingCharacters(in: .whitespacesAndNewlines).matches("^\(tokenPattern)$"), key.out)
        let partner = try entente.run(["keys", "create", "--db", database, "--name", "P", "--role", "partner", "--partner", "ptn_missing"])
        XCTAssertEqual(partner.status, 1)
        XCTAssertTrue(partner.err.contains("partner"), partner.err)
    }

    func testKeysCreateRefusesToMakeADatabaseAtAMistypedPath() throws {
        let result = try entente.run(["keys", "create", "--db", entente.path("typo.sqlite"), "--name", "x", "--role", "admin"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("typo.sqlite") && result.err.contains("no such file"), result.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: entente.path("typo.sqlite")))
    }

    func testARevokedSeedTokenStaysRevokedAndTheServerStillStarts() throws {
        let seed = ["ENTENTE_ADMIN_KEY": "seed-token-0123456789abcdef"]
        let first = try entente.serve(["--port", "0", "--db", database], environment: seed)
        XCTAssertTrue(first.logged.contains("admin key seeded"), first.logged)
        XCTAssertEqual(first.stop().status, 0)

        // Revoke the seeded key in the file, as an operator would through the API.
        let sqlite = "/usr/bin/sqlite3"
        guard FileManager.default.isExecutableFile(atPath: sqlite) else { throw XCTSkip("sqlite3 is not installed") }
        let revoke = Process()
        revoke.executableURL = URL(fileURLWithPath: sqlite)
        revoke.arguments = [database, "UPDATE api_keys SET revoked_at = '2026-01-01T00:00:00Z'"]
        try revoke.run()
        revoke.waitUntilExit()

        let second = try entente.serve(["--port", "0", "--db", database], environment: seed)
        XCTAssertNotNil(second.port, second.logged)
        XCTAssertTrue(second.logged.contains("names a revoked key"), second.logged)
        XCTAssertEqual(second.stop().status, 0)
    }

    func testServeBootstrapsAnAdminTokenAnswersAndStopsOnSIGTERM() throws {
        let server = try entente.serve(["--port", "0", "--db", database, "--max-body-bytes", "2048"])
        let port = try XCTUnwrap(server.port, "no started line in: \(server.logged)")
        XCTAssertTrue(server.logged.contains("\"msg\":\"migration applied\""), server.logged)
        XCTAssertEqual(try get(port: port, path: "/healthz"), 200)
        XCTAssertEqual(try get(port: port, path: "/readyz"), 200)
        XCTAssertEqual(try entente.run(["healthcheck", "--url", "http://127.0.0.1:\(port)/healthz"]).status, 0)
        XCTAssertTrue(try request(port: port, "GET /openapi.yaml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").prefix(200).contains("openapi: 3.1"),
                      "the served document is docs/openapi.yaml")
        let big = String(repeating: "x", count: 3000)
        XCTAssertTrue(try request(port: port, "POST /v1/partners HTTP/1.1\r\nHost: x\r\nContent-Length: 3000\r\n\r\n\(big)").hasPrefix("HTTP/1.1 413"),
                      "--max-body-bytes is honoured")
        XCTAssertEqual(try entente.run(["healthcheck", "--url", "http://127.0.0.1:\(port)/nothing-here"]).status, 1)

        let stopped = server.stop()
        XCTAssertEqual(server.process.terminationReason, .exit)
        XCTAssertEqual(stopped.status, 0)
        XCTAssertTrue(stopped.out.contains("\"msg\":\"stopped\""), stopped.out)
        XCTAssertTrue(stopped.err.matches(tokenPattern), "the first admin token is printed once: \(stopped.err)")
        XCTAssertTrue(stopped.err.contains("entente keys create --db \(database)"), "a lost token's remedy is printed with it: \(stopped.err)")
        XCTAssertFalse(stopped.out.contains("ent_"), "the token never reaches the JSON log")
    }

    func testServeWithoutDBUsesEntenteSqliteInTheWorkingDirectory() throws {
        let server = try entente.serve(["--port", "0"])
        XCTAssertNotNil(server.port, server.logged)
        XCTAssertEqual(server.stop().status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: entente.path("entente.sqlite")))
    }

    /// GET over a plain socket; the status code.
    private func get(port: Int, path: String) throws -> Int {
        let reply = try request(port: port, "GET \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        guard reply.count > 12 else { return -1 }
        return Int(reply.dropFirst(9).prefix(3)) ?? -1
    }
}

/// Sends raw bytes to 127.0.0.1:`port`, reads until the server closes; the
/// reply as text (empty when nothing could connect).
func request(port: Int, _ raw: String) throws -> String {
    let reply = (try? Loopback.exchange(port: port, Array(raw.utf8), timeoutSeconds: 5)) ?? []
    return String(decoding: reply, as: UTF8.self)
}
