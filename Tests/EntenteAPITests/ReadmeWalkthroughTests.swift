import Foundation
import XCTest
import JSON

/// Runs the README's "A first session with curl" as written (with bash, curl
/// and jq) against a live server, then checks what it left behind.
final class ReadmeWalkthroughTests: XCTestCase {
    static let readme = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("README.md")

    /// The first ```sh block after `heading`.
    static func firstShellBlock(after heading: String, in markdown: String) -> String? {
        firstBlock("```sh", after: heading, in: markdown)
    }

    /// The first block opened by `fence` after the line that starts with `heading`.
    static func firstBlock(_ fence: String, after heading: String, in markdown: String) -> String? {
        let lines = markdown.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(heading) }),
              let open = lines[(start + 1)...].firstIndex(where: { $0.hasPrefix(fence) }),
              let close = lines[(open + 1)...].firstIndex(where: { $0.hasPrefix("```") })
        else { return nil }
        return lines[(open + 1)..<close].joined(separator: "\n")
    }

    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    func testFirstSessionWithCurlWorksAsWritten() throws {
        guard Self.executable("curl") != nil else { throw XCTSkip("curl is not installed") }
        guard Self.executable("jq") != nil else { throw XCTSkip("jq is not installed") }
        let bash = try XCTUnwrap(["/bin/bash", "/usr/bin/bash"].first { FileManager.default.isExecutableFile(atPath: $0) }, "no bash")

        let markdown = try String(contentsOf: Self.readme, encoding: .utf8)
        var script = try XCTUnwrap(Self.firstShellBlock(after: "## A first session with curl", in: markdown), "no sh block after the heading")
        let calls = script.components(separatedBy: "curl ").count - 1
        XCTAssertGreaterThanOrEqual(calls, 10, "the walkthrough makes its curl calls")

        let expected = try XCTUnwrap(Self.firstBlock("```text", after: "It prints", in: markdown), "no text block after 'It prints'")

        let server = try LiveServer()
        // The README targets the default address; point it at this test's server.
        let defaultBase = "http://127.0.0.1:8080"
        XCTAssertTrue(script.contains("E=\(defaultBase)"), "the walkthrough sets E to the default address")
        script = script.replacingOccurrences(of: "E=\(defaultBase)", with: "E=http://127.0.0.1:\(server.server.port)")
        // The reader pastes the token the server printed where the README says so.
        let tokenLine = try XCTUnwrap(script.components(separatedBy: "\n").first { $0.hasPrefix("export TOKEN=") }, "the walkthrough sets TOKEN")
        script = script.replacingOccurrences(of: tokenLine, with: "export TOKEN=\(server.adminToken)")

        // Every curl fails the script on an HTTP error and reports its status on stderr.
        let prologue = """
            set -o pipefail
            curl() { command curl -sS --fail-with-body --max-time 20 -w '%{stderr}HTTP_STATUS %{http_code}\\n' "$@"; }

            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: bash)
        process.arguments = ["-e", "-c", prologue + script]
        process.environment = ProcessInfo.processInfo.environment.filter { $0.key != "TOKEN" && $0.key != "E" }
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Drain both pipes while it runs.
        let output = Collected()
        let drained = DispatchGroup()
        for (pipe, isError) in [(stdout, false), (stderr, true)] {
            drained.enter()
            Thread {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                output.set(String(decoding: data, as: UTF8.self), error: isError)
                drained.leave()
            }.start()
        }
        if drained.wait(timeout: .now() + 120) == .timedOut {
            process.terminate()
            XCTFail("the walkthrough did not finish in 120 s")
        }
        process.waitUntilExit()
        let (out, err) = output.values
        XCTAssertEqual(process.terminationStatus, 0, "the walkthrough failed.\nstdout:\n\(out)\nstderr:\n\(err)")

        let statuses = err.components(separatedBy: "\n").filter { $0.hasPrefix("HTTP_STATUS ") }.map { Int($0.dropFirst(12)) ?? 0 }
        XCTAssertEqual(statuses.count, calls, "one status per curl call; stderr:\n\(err)")
        for (index, status) in statuses.enumerated() {
            XCTAssertTrue((200..<300).contains(status), "curl call \(index + 1) answered \(status)\nstdout:\n\(out)\nstderr:\n\(err)")
        }
        XCTAssertEqual(out, expected + "\n", "the walkthrough prints what the README says it prints")

        // What the session left behind.
        let client = server.client()
        let partners = try client.get("/v1/partners").json?["items"]?.arrayValue ?? []
        XCTAssertEqual(Set(partners.compactMap { $0["name"]?.stringValue }), ["Musée des Confluences", "Festival Lumière"])
        let conventions = try client.get("/v1/conventions").json?["items"]?.arrayValue ?? []
        XCTAssertEqual(conventions.count, 1)
        let convention = try XCTUnwrap(conventions.first)
        XCTAssertEqual(convention["status"]?.stringValue, "in_force")
        XCTAssertEqual(convention["revision"]?.intValue, 1)
        XCTAssertEqual(convention["parties"]?.arrayValue?.filter { $0["signed_at"]?.stringValue != nil }.count, 2, "both parties signed")
        let conventionID = try XCTUnwrap(convention["id"]?.stringValue)
        let decisions = try client.get("/v1/conventions/\(conventionID)/decisions").json?["items"]?.arrayValue ?? []
        XCTAssertEqual(decisions.count, 1)
        XCTAssertEqual(decisions.first?["title"]?.stringValue, "Programme 2027")
        XCTAssertEqual(decisions.first?["status"]?.stringValue, "closed")
        XCTAssertEqual(decisions.first?["outcome"]?.stringValue, "adopted")
        XCTAssertEqual(decisions.first?["votes"]?.arrayValue?.count, 1)
        let rights = try client.get("/v1/conventions/\(conventionID)/decision-rights")
        let weights = rights.json?["partners"]?.arrayValue?.compactMap { $0["weight"]?.doubleValue } ?? []
        XCTAssertEqual(weights.sorted(), [0.25, 0.75], "proportional to 30 000 € and 10 000 €")
    }

    func testExtractsTheBlockAfterTheHeading() {
        let markdown = "# T\n```sh\nwrong\n```\n## A first session with curl\n\ntext\n```sh\necho one\necho two\n```\n```sh\nlater\n```\n"
        XCTAssertEqual(Self.firstShellBlock(after: "## A first session with curl", in: markdown), "echo one\necho two")
        XCTAssertNil(Self.firstShellBlock(after: "## Missing", in: markdown))
        XCTAssertEqual(Self.firstBlock("```", after: "text", in: markdown), "echo one\necho two")
    }

    /// The two outputs of the walkthrough, written by the draining threads.
    /// `@unchecked`: both strings are only touched while `lock` is held.
    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var out = ""
        private var err = ""

        func set(_ text: String, error: Bool) {
            lock.lock()
            if error { err = text } else { out = text }
            lock.unlock()
        }

        var values: (String, String) {
            lock.lock()
            defer { lock.unlock() }
            return (out, err)
        }
    }
}
