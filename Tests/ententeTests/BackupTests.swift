import Foundation
import XCTest

/// `entente backup` while the server writes; the copy restored and served.
final class BackupTests: EntenteProcessTestCase {
    private static let token = "backup-test-token-0123456789abcdef"

    /// One request over its own connection: the status and the body.
    private static func call(_ port: Int, _ method: String, _ path: String, body: String = "") throws -> (status: Int, body: String) {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer \(Self.token)\r\n"
        if !body.isEmpty { head += "Content-Type: application/json\r\n" }
        head += "Content-Length: \(body.utf8.count)\r\n\r\n"
        let reply = try request(port: port, head + body)
        let status = reply.count > 12 ? Int(reply.dropFirst(9).prefix(3)) ?? -1 : -1
        let text = reply.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        return (status, text)
    }

    func testABackupTakenWhileWritingHoldsEveryEarlierWriteAndRestores() throws {
        let database = entente.path("live.sqlite")
        let server = try entente.serve(["--port", "0", "--db", database], environment: ["ENTENTE_ADMIN_KEY": Self.token])
        let port = try XCTUnwrap(server.port, server.logged)

        // A writer that keeps creating partners, remembering each acknowledged id.
        let acknowledged = Acknowledged()
        let stop = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        Thread {
            var index = 0
            while stop.wait(timeout: .now()) == .timedOut {
                index += 1
                if let answer = try? Self.call(port, "POST", "/v1/partners", body: "{\"name\":\"Partner \(index)\",\"kind\":\"artist\"}"),
                   answer.status == 201, let id = answer.body.firstMatch(of: /"id":"(ptn_[0-9a-f]+)"/)?.1 {
                    acknowledged.add(String(id))
                }
            }
            done.signal()
        }.start()
        while acknowledged.ids.count < 20 { usleep(10_000) }

        let before = acknowledged.ids
        let copy = entente.path("copy.sqlite")
        let backup = try entente.run(["backup", "--db", database, "--to", copy])
        XCTAssertEqual(backup.status, 0, backup.err)
        XCTAssertTrue(backup.out.contains("\"msg\":\"backup written\""), backup.out)
        usleep(200_000)
        stop.signal()
        done.wait()
        XCTAssertGreaterThan(acknowledged.ids.count, before.count, "writes went on during the backup")
        XCTAssertEqual(server.stop().status, 0)

        // Refused: an existing target is never overwritten.
        let again = try entente.run(["backup", "--db", database, "--to", copy])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.err.contains("already exists"), again.err)

        // Restore: the copy put in place of a database and served.
        let restored = entente.path("restored.sqlite")
        try FileManager.default.copyItem(atPath: copy, toPath: restored)
        let revived = try entente.serve(["--port", "0", "--db", restored], environment: ["ENTENTE_ADMIN_KEY": Self.token])
        let revivedPort = try XCTUnwrap(revived.port, revived.logged)
        for id in before {
            XCTAssertEqual(try Self.call(revivedPort, "GET", "/v1/partners/\(id)").status, 200, "\(id), acknowledged before the backup began")
        }
        XCTAssertEqual(revived.stop().status, 0)
    }
}

/// Ids acknowledged by the writer thread. `@unchecked Sendable`: `list` is
/// only touched while `lock` is held.
private final class Acknowledged: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []

    func add(_ id: String) {
        lock.lock()
        list.append(id)
        lock.unlock()
    }

    var ids: [String] {
        lock.lock()
        defer { lock.unlock() }
        return list
    }
}
