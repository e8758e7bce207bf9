import Foundation
import XCTest

/// Every `entente …` command line in the README and `docs/` code blocks is
/// one the executable accepts as written (checked with `--help` appended: the
/// words are parsed, and refused, before help is shown).
final class DocumentedCommandsTests: EntenteProcessTestCase {
    func testEveryDocumentedCommandLineIsAccepted() throws {
        let root = EntenteProcess.sourceRoot
        let docs = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path)
            .filter { $0.hasSuffix(".md") }.map { "docs/" + $0 }
        // The documented invocations: `entente`, `swift run entente`, `.build/…/entente`.
        let invocation = /^(?:swift run entente|\.build\/(?:release|debug)\/entente|entente)\s+(.*)$/
        var checked = 0
        for file in ["README.md"] + docs {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            var inBlock = false
            for line in text.components(separatedBy: "\n") {
                if line.hasPrefix("```") {
                    inBlock.toggle()
                    continue
                }
                guard inBlock, let match = line.trimmingCharacters(in: .whitespaces).firstMatch(of: invocation) else { continue }
                // The comment after the command is prose; the command is what a reader types.
                let words = String(match.1).components(separatedBy: " #").first!.trimmingCharacters(in: .whitespaces)
                let bash = Process()
                bash.executableURL = URL(fileURLWithPath: "/bin/bash")
                bash.arguments = ["-c", "exec \"$0\" \(words) --help", EntenteProcess.binary]
                bash.currentDirectoryURL = entente.directory
                bash.standardOutput = FileHandle.nullDevice
                let err = Pipe()
                bash.standardError = err
                try bash.run()
                let said = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                bash.waitUntilExit()
                XCTAssertEqual(bash.terminationStatus, 0, "\(file): `\(line)` is refused: \(said)")
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 6, "the README documents its commands")
    }
}
