import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A database path that cannot be used is reported by path and reason, with
/// a non-zero exit, for every command that opens it.
final class DatabaseFileTests: EntenteProcessTestCase {
    private var mounted: String?

    override func tearDown() {
        if let mounted { _ = shell("/bin/umount", [mounted]) }
        super.tearDown()
    }

    private func shell(_ tool: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    private func assertRefused(_ path: String, says reason: String, file: StaticString = #filePath, line: UInt = #line) throws {
        for arguments in [["migrate", "--db", path], ["serve", "--port", "0", "--db", path],
                          ["keys", "create", "--db", path, "--name", "k", "--role", "admin"]] {
            let result = try entente.run(arguments)
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.err)", file: file, line: line)
            XCTAssertTrue(result.err.contains("cannot use the database \(path): "), "\(arguments) names the path: \(result.err)", file: file, line: line)
            XCTAssertTrue(result.err.contains(reason), "\(arguments) says \(reason): \(result.err)", file: file, line: line)
            XCTAssertFalse(result.err.contains("SQLite error"), "plain words, not result codes: \(result.err)", file: file, line: line)
            XCTAssertFalse(result.err.matches(tokenPattern), file: file, line: line)
        }
    }

    func testAMissingFolder() throws {
        try assertRefused(entente.path("no/such/folder/db.sqlite"), says: "the folder \(entente.path("no/such/folder")) does not exist")
    }

    func testAFolderInsteadOfAFile() throws {
        try FileManager.default.createDirectory(atPath: entente.path("folder.sqlite"), withIntermediateDirectories: false)
        try assertRefused(entente.path("folder.sqlite"), says: "it is a folder, not a database file")
    }

    func testAFileThatIsNotADatabase() throws {
        let path = entente.path("notes.sqlite")
        try Data(String(repeating: "these are my notes, not a database\n", count: 50).utf8).write(to: URL(fileURLWithPath: path))
        try assertRefused(path, says: "the file is not an SQLite database")
        XCTAssertTrue(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("these are my notes"), "the file is left as it was")
    }

    /// A database on a read-only file system (root ignores file modes, so a
    /// tmpfs remounted read-only stands in when the tests run as root).
    func testAReadOnlyDatabase() throws {
        let folder = entente.path("ro")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let path = folder + "/db.sqlite"
        if getuid() == 0 {
            guard shell("/bin/mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", folder]) == 0 else {
                throw XCTSkip("running as root without the right to mount a tmpfs")
            }
            mounted = folder
            XCTAssertEqual(try entente.run(["migrate", "--db", path]).status, 0)
            XCTAssertEqual(shell("/bin/mount", ["-o", "remount,ro", folder]), 0)
        } else {
            XCTAssertEqual(try entente.run(["migrate", "--db", path]).status, 0)
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        }
        try assertRefused(path, says: "the file is read-only")
    }

    func testAFolderThatIsNotWritable() throws {
        guard getuid() != 0 else { throw XCTSkip("root may write any folder") }
        let folder = entente.path("locked")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder) }
        try assertRefused(folder + "/db.sqlite", says: "the folder \(folder) is not writable")
    }
}
