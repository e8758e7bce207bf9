import Foundation
import XCTest
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A server that runs out of file descriptors refuses politely, logs it,
/// does not spin, and accepts again when descriptors free up.
final class DescriptorExhaustionTests: EntenteProcessTestCase {
    /// User plus system CPU seconds the process has used (/proc/PID/stat).
    private func cpuSeconds(_ pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return -1 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command name: state is field 3, utime 14 and stime 15 (1-based, whole line).
        let ticks = (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    func testRunningOutOfDescriptorsIsRefusedPolitelyWithoutSpinning() throws {
        // Start the binary through bash with a low descriptor limit.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "ulimit -n 64 && exec \"$0\" serve --port 0 --db \"$1\"", EntenteProcess.binary, entente.path("fd.sqlite")]
        process.currentDirectoryURL = entente.directory
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ENTENTE_") }
            .merging(["ENTENTE_MIGRATIONS": EntenteProcess.migrations]) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let server = EntenteProcess.Server(process: process, out: out, err: err)
        let port = try XCTUnwrap(server.port, server.logged)

        // Hold far more connections than descriptors remain.
        var held: [Int32] = []
        for _ in 0..<100 {
            if let fd = try? Loopback.connect(port: port) { held.append(fd) }
        }
        usleep(300_000)
        // The ones past the limit were answered 503 and closed.
        var refused = 0
        for fd in held {
            Loopback.setReceiveTimeout(fd, seconds: 0, microseconds: 20_000)
            if String(decoding: Loopback.receive(from: fd), as: UTF8.self).hasPrefix("HTTP/1.1 503") { refused += 1 }
        }
        XCTAssertGreaterThan(refused, 0, "connections past the descriptor limit get a 503")

        // While saturated the loop does not spin.
        let before = cpuSeconds(process.processIdentifier)
        sleep(1)
        let used = cpuSeconds(process.processIdentifier) - before
        XCTAssertLessThan(used, 0.3, "no busy loop while out of descriptors (used \(used) s of CPU in 1 s)")

        for fd in held { close(fd) }
        usleep(300_000)
        let answer = try request(port: port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        XCTAssertTrue(answer.hasPrefix("HTTP/1.1 200"), "accepting resumes once descriptors free up: \(answer.prefix(100))")

        let stopped = server.stop()
        XCTAssertEqual(stopped.status, 0)
        XCTAssertTrue(stopped.out.contains("\"msg\":\"connections refused\"") && stopped.out.contains("\"reason\":\"out_of_descriptors\""),
                      "a log line says why: \(stopped.out.suffix(2000))")
    }
}
