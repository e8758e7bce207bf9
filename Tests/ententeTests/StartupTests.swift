import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A start that fails spends nothing: the first admin token is made and
/// printed only once the server really serves; a second server on the same
/// file is refused.
final class StartupTests: EntenteProcessTestCase {
    private var database: String { entente.path("startup.sqlite") }

    /// A listening socket on a free loopback port, held until closed.
    private func occupiedPort() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        XCTAssertEqual(bound, 0)
        XCTAssertEqual(listen(fd, 1), 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    func testATakenPortPrintsNoTokenAndTheRetryDoes() throws {
        let (fd, port) = try occupiedPort()
        let refused = try entente.run(["serve", "--port", String(port), "--db", database])
        close(fd)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.err.contains("cannot listen on 127.0.0.1:\(port)"), refused.err)
        XCTAssertTrue(refused.err.contains("Address already in use"), refused.err)
        XCTAssertFalse(refused.err.matches(tokenPattern), "no token is spent on a start that fails: \(refused.err)")

        let retry = try entente.serve(["--port", "0", "--db", database])
        XCTAssertNotNil(retry.port, retry.logged)
        let stopped = retry.stop()
        XCTAssertTrue(stopped.err.matches(tokenPattern), "the retry prints the first token: \(stopped.err)")
    }

    func testABadFlagOrVariableCreatesNoDatabaseAndNoToken() throws {
        let badFlag = try entente.run(["serve", "--port", "0", "--db", database, "--workers", "0"])
        XCTAssertEqual(badFlag.status, 2)
        let badVariable = try entente.run(["serve", "--port", "0", "--db", database], environment: ["ENTENTE_WEBHOOK_FIRST_RETRY": "soon"])
        XCTAssertEqual(badVariable.status, 2)
        XCTAssertTrue(badVariable.err.contains("ENTENTE_WEBHOOK_FIRST_RETRY"), badVariable.err)
        for result in [badFlag, badVariable] {
            XCTAssertFalse(result.err.matches(tokenPattern), result.err)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: database), "the database is not created before the flags are checked")
    }

    func testASecondServerOnTheSameDatabaseIsRefused() throws {
        let first = try entente.serve(["--port", "0", "--db", database])
        XCTAssertNotNil(first.port, first.logged)
        let second = try entente.run(["serve", "--port", "0", "--db", database])
        XCTAssertEqual(second.status, 1)
        XCTAssertTrue(second.err.contains("another entente server is already serving it"), second.err)
        XCTAssertTrue(second.err.contains(database), second.err)
        // Keys can still be made while it serves (the remedy for a lost token).
        let key = try entente.run(["keys", "create", "--db", database, "--name", "lost", "--role", "admin"])
        XCTAssertEqual(key.status, 0, key.err)
        XCTAssertEqual(first.stop().status, 0)

        // The lock goes with the process: the next server starts.
        let third = try entente.serve(["--port", "0", "--db", database])
        XCTAssertNotNil(third.port, third.logged)
        XCTAssertEqual(third.stop().status, 0)
    }

    func testTheLockIsReleasedWhenTheServerIsKilled() throws {
        let first = try entente.serve(["--port", "0", "--db", database])
        XCTAssertNotNil(first.port, first.logged)
        kill(first.process.processIdentifier, SIGKILL)
        _ = first.stop()
        let second = try entente.serve(["--port", "0", "--db", database])
        XCTAssertNotNil(second.port, "a killed server leaves no stale lock: \(second.logged)")
        XCTAssertEqual(second.stop().status, 0)
    }
}

