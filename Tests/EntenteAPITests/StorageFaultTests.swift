import Foundation
import JSON
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A full disk or a read-only database: writes answer 503 `unavailable`
/// (never 500, never half written), `/readyz` says so, and both recover
/// without a restart. The full disk is a small tmpfs, so that test runs as root.
final class StorageFaultTests: XCTestCase {
    private var mountPoint: URL?

    override func tearDown() {
        if let mountPoint {
            _ = Self.run("/bin/umount", ["-l", mountPoint.path])
            try? FileManager.default.removeItem(at: mountPoint)
        }
        super.tearDown()
    }

    @discardableResult
    private static func run(_ tool: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Fills what is left of the file system with one file.
    private func fill(_ path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0xAB, count: 64 * 1024)
        var size = chunk.count
        while size >= 512 {
            let written = chunk.withUnsafeBytes { write(fd, $0.baseAddress, size) }
            if written <= 0 { size /= 2 }
        }
        fsync(fd)
    }

    func testAFullDiskGives503AndRecoversWhenSpaceReturns() throws {
        guard getuid() == 0 else { throw XCTSkip("mounting a small tmpfs needs root") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("entente-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        guard Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=3m", "tmpfs", folder.path]) == 0 else {
            throw XCTSkip("cannot mount a tmpfs here")
        }
        mountPoint = folder
        let live = try LiveServer(directory: folder)
        let client = live.client()
        XCTAssertEqual(try client.post("/v1/partners", ["name": "Before", "kind": "institution"]).status, 201)

        let filler = folder.appendingPathComponent("filler").path
        fill(filler)
        var refused: APIResponse?
        var acknowledged = 1
        let description = String(repeating: "d", count: 9000)
        for index in 0..<200 {
            let answer = try client.post("/v1/partners", ["name": .string("Partner \(index)"), "kind": "institution", "description": .string(description)])
            if answer.status == 201 { acknowledged += 1; continue }
            refused = answer
            break
        }
        let answer = try XCTUnwrap(refused, "the disk never filled")
        XCTAssertEqual(answer.status, 503, answer.text)
        XCTAssertEqual(answer.code, "unavailable")
        XCTAssertEqual(answer.header("Retry-After"), "5")
        XCTAssertTrue(answer.text.contains("the disk is full"), answer.text)
        XCTAssertEqual(try live.anonymous().get("/readyz").status, 503, "not ready while writes cannot commit")
        XCTAssertTrue(live.logPipe.waitFor("\"msg\":\"storage unavailable\""), "a clear log line")
        XCTAssertTrue(live.logPipe.waitFor("\"reason\":\"the disk is full\""))

        // Nothing half written: every acknowledged partner and its audit entry, no other.
        XCTAssertEqual(try live.count("partners"), acknowledged)
        XCTAssertEqual(try live.pool.withReader { Int(try $0.queryOne("SELECT count(*) AS n FROM audit WHERE entity_type = 'partner'")?.int("n") ?? 0) },
                       acknowledged)

        try FileManager.default.removeItem(atPath: filler)
        XCTAssertEqual(try live.anonymous().get("/readyz").status, 200, "ready again once space returns")
        let after = try client.post("/v1/partners", ["name": "After", "kind": "institution"])
        XCTAssertEqual(after.status, 201, after.text)
        XCTAssertEqual(try live.pool.withReader { try $0.queryOne("PRAGMA integrity_check")?.string("integrity_check") }, "ok")
    }

    /// A database that turns read-only under the running server (SQLite's
    /// `query_only` makes every write fail as SQLITE_READONLY, as a read-only
    /// file or mount does).
    func testAReadOnlyDatabaseGives503AndRecovers() throws {
        let live = try LiveServer()
        let client = live.client()
        XCTAssertEqual(try client.post("/v1/partners", ["name": "Before", "kind": "institution"]).status, 201)
        try live.pool.withWriter { try $0.execute("PRAGMA query_only = ON") }
        let refused = try client.post("/v1/partners", ["name": "During", "kind": "institution"])
        XCTAssertEqual(refused.status, 503, refused.text)
        XCTAssertEqual(refused.code, "unavailable")
        XCTAssertTrue(refused.text.contains("the database is read-only"), refused.text)
        XCTAssertEqual(try live.anonymous().get("/readyz").status, 503)
        XCTAssertEqual(try client.get("/v1/partners").status, 200, "reads still work")
        XCTAssertEqual(try live.count("partners"), 1, "nothing half written")

        try live.pool.withWriter { try $0.execute("PRAGMA query_only = OFF") }
        XCTAssertEqual(try live.anonymous().get("/readyz").status, 200)
        XCTAssertEqual(try client.post("/v1/partners", ["name": "After", "kind": "institution"]).status, 201)
    }
}
