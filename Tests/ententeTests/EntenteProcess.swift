import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The built `entente` executable, run as a user runs it: a child process in
/// its own working directory (a fresh temporary folder, so no test ever
/// touches the files of the directory `swift test` runs in).
struct EntenteProcess {
    /// `.build/<config>/entente`, beside the test bundle.
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("entente").path
    static let sourceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let migrations = sourceRoot.appendingPathComponent("Migrations").path

    /// What a finished run printed.
    struct Result {
        let status: Int32
        let out: String
        let err: String
    }

    let directory: URL

    /// A new temporary working directory, removed by `remove()`.
    static func make() throws -> EntenteProcess {
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw XCTSkip("entente binary not found at \(binary)") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("entente-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return EntenteProcess(directory: directory)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// The environment of the tests, less every `ENTENTE_*` they may have set,
    /// plus the migrations of this source tree.
    private func environment(_ extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("ENTENTE_") }
        environment["ENTENTE_MIGRATIONS"] = Self.migrations
        return environment.merging(extra) { $1 }
    }

    private func process(_ arguments: [String], environment extra: [String: String]) -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = environment(extra)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        return (process, out, err)
    }

    /// Runs to completion.
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let (process, out, err) = process(arguments, environment: environment)
        try process.run()
        // stderr is drained on another thread so a chatty child cannot block on a full pipe.
        let errors = Drained(err)
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, out: String(decoding: output, as: UTF8.self), err: errors.text())
    }

    /// `entente serve` started and running, or ended before it logged "started".
    final class Server {
        let process: Process
        private let out: Pipe
        private let errors: Drained
        /// Everything logged on stdout up to "started" (or the end).
        let logged: String
        /// The port from the "started" line; nil when the server did not start.
        let port: Int?

        init(process: Process, out: Pipe, err: Pipe) {
            self.process = process
            self.out = out
            self.errors = Drained(err)
            var logged = ""
            var port: Int?
            let deadline = Date().addingTimeInterval(30)
            reading: while Date() < deadline {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                logged += String(decoding: chunk, as: UTF8.self)
                for line in logged.split(separator: "\n") where line.contains("\"msg\":\"started\"") {
                    port = line.range(of: #""port":(\d+)"#, options: .regularExpression).flatMap { Int(line[$0].dropFirst(7)) }
                    break reading
                }
            }
            self.logged = logged
            self.port = port
        }

        /// SIGTERM, then the exit status, the rest of stdout and all of stderr.
        func stop() -> Result {
            if process.isRunning { kill(process.processIdentifier, SIGTERM) }
            let rest = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return Result(status: process.terminationStatus, out: logged + String(decoding: rest, as: UTF8.self), err: errors.text())
        }
    }

    /// Starts `entente serve ARGUMENTS`; returns once it logged "started" or ended.
    func serve(_ arguments: [String], environment: [String: String] = [:]) throws -> Server {
        let (process, out, err) = process(["serve"] + arguments, environment: environment)
        try process.run()
        return Server(process: process, out: out, err: err)
    }
}

/// A pipe read to its end on a thread of its own.
/// `@unchecked Sendable`: `data` is written once by the reading thread before
/// `done` is signalled, and read only after waiting on `done`.
final class Drained: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }.start()
    }

    func text() -> String {
        done.wait()
        done.signal()
        return String(decoding: data, as: UTF8.self)
    }
}

/// A token as `serve` and `keys create` print them.
let tokenPattern = "ent_[0-9a-f]{64}"

extension String {
    func matches(_ pattern: String) -> Bool { range(of: pattern, options: .regularExpression) != nil }
}
