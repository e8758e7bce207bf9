import Foundation
import JSON
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Power-index computations run in a lane of their own: the request workers
/// stay free while they run, a computation whose client left is abandoned,
/// and a partner key may not fill the lane.
final class GovernanceLaneTests: XCTestCase {
    /// A simulation of `parties` parties pledging up to `maximum` cents: about
    /// a second of work for 40 parties up to 1,000 in a debug build.
    private static func simulation(parties: Int, maximum: Int, seed: UInt64 = 1) -> String {
        var state = seed
        let items = (0..<parties).map { index -> String in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return "{\"partner_id\":\"p\(index)\",\"contribution_cents\":\(1 + Int(state >> 33) % maximum)}"
        }
        return "{\"governance\":{\"voting\":\"proportional\",\"majority\":\"simple\"},\"parties\":[\(items.joined(separator: ","))]}"
    }

    /// Sends a request on a new connection and returns the socket, unread.
    private static func send(port: Int, token: String, body: String) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        let request = "POST /v1/governance/simulate HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer \(token)\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        _ = Array(request.utf8).withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        return fd
    }

    /// Reads until the server closes; the status code.
    private static func status(of fd: Int32) -> Int {
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            reply.append(contentsOf: buffer[0..<count])
        }
        close(fd)
        return reply.count > 12 ? Int(String(decoding: reply[9..<12], as: UTF8.self)) ?? -1 : -1
    }


    func testHeavyComputationsLeaveTheWorkersFreeAndAreAbandonedWhenTheirClientsLeave() throws {
        let live = try LiveServer { $0.workerThreads = 4 }
        let body = Self.simulation(parties: 40, maximum: 1000)
        // More computations than there are workers, each about a second.
        let heavy = (0..<8).map { _ in Self.send(port: live.server.port, token: live.adminToken, body: body) }
        usleep(200_000)
        let started = Date()
        XCTAssertEqual(try live.anonymous().get("/healthz").status, 200)
        XCTAssertEqual(try live.client().get("/v1/partners").status, 200)
        let waited = Date().timeIntervalSince(started)
        XCTAssertLessThan(waited, 2, "ordinary requests are not queued behind the computations")

        // The clients go away: what is running stops, what is queued never starts.
        for fd in heavy { close(fd) }
        XCTAssertTrue(live.logPipe.waitFor("\"status\":503", seconds: 5), "an abandoned computation is recorded as 503")
        let probe = Self.send(port: live.server.port, token: live.adminToken, body: Self.simulation(parties: 3, maximum: 10))
        let answered = Date()
        XCTAssertEqual(Self.status(of: probe), 200)
        XCTAssertLessThan(Date().timeIntervalSince(answered), 3, "the abandoned computations do not hold the lane for their full length")
    }

    func testAPartnerKeyMayRunTwoComputationsAtOnce() throws {
        let live = try LiveServer()
        let partner = try Fixtures(client: live.client()).partner("Musée")
        let token = try live.token(role: "partner", partnerID: partner)
        let body = Self.simulation(parties: 40, maximum: 1000)
        let sockets = (0..<3).map { _ in Self.send(port: live.server.port, token: token, body: body) }
        let statuses = sockets.map(Self.status(of:))
        XCTAssertEqual(statuses.sorted(), [200, 200, 429], "the third is refused while two run: \(statuses)")
        // An admin key is not limited that way.
        let admin = (0..<3).map { _ in Self.send(port: live.server.port, token: live.adminToken, body: Self.simulation(parties: 3, maximum: 10)) }
        XCTAssertEqual(admin.map(Self.status(of:)), [200, 200, 200])
    }

    func testAnUnknownTokenIsRefusedBeforeTheLane() throws {
        let live = try LiveServer()
        XCTAssertEqual(Self.status(of: Self.send(port: live.server.port, token: "nope", body: "{}")), 401)
    }
}
