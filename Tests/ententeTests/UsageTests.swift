import Foundation
import XCTest

/// Command-line mistakes: one line on stderr naming the word at fault, exit 2,
/// nothing on stdout, and nothing created.
final class UsageTests: EntenteProcessTestCase {
    func testMistakesAreOneLineOnStderrWithExitStatus2() throws {
        let cases: [(arguments: [String], says: String)] = [
            (["serve", "--verbose"], "unknown flag --verbose for serve"),
            (["serve", "--prot", "9001"], "unknown flag --prot for serve"),
            (["serve", "9001"], "unexpected argument '9001' for serve"),
            (["serve", "--port"], "--port needs a value"),
            (["serve", "--port", "--db", "x.sqlite"], "--port needs a value"),
            (["serve", "--port", "http"], "--port must be a whole number from 0 to 65535, not 'http'"),
            (["serve", "--port", "70000"], "--port must be a whole number from 0 to 65535"),
            (["serve", "--idle-timeout", "0"], "--idle-timeout must be a whole number from 1 to 86400"),
            (["serve", "--max-body-bytes", "lots"], "--max-body-bytes must be a whole number"),
            (["serve", "--synchronous", "sometimes"], "--synchronous must be full or normal, not 'sometimes'"),
            (["serve", "--help=yes"], "--help takes no value"),
            (["migrate", "--name", "x"], "unknown flag --name for migrate"),
            (["keys", "create", "--name", "x"], "keys create needs --role"),
            (["keys", "create", "--role", "admin"], "keys create needs --name"),
            (["keys", "create", "--name", "x", "--role", "emperor"], "--role must be admin, editor, reader or partner, not 'emperor'"),
            (["keys", "create", "--name", "x", "--role", "admin", "--partner", "ptn_1"], "--partner goes with --role partner"),
            (["keys", "create", "--name", "x", "--role", "partner"], "--partner goes with --role partner"),
            (["keys", "list"], "unknown command 'keys list'"),
            (["keys"], "unknown command 'keys'"),
            (["frobnicate"], "unknown command 'frobnicate'"),
            (["--verbose"], "unknown flag --verbose"),
            (["healthcheck", "--port", "1"], "unknown flag --port for healthcheck"),
        ]
        for (arguments, says) in cases {
            let result = try entente.run(arguments)
            let line = "entente " + arguments.joined(separator: " ")
            XCTAssertEqual(result.status, 2, line)
            XCTAssertEqual(result.out, "", "\(line): nothing on stdout")
            XCTAssertTrue(result.err.hasPrefix("entente: ") && result.err.contains(says), "\(line) said: \(result.err)")
            XCTAssertEqual(result.err.split(separator: "\n").count, 1, "\(line): one line, said: \(result.err)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: entente.directory.path)
        XCTAssertEqual(left, [], "a refused command line creates no database")
    }

    func testNoCommandPrintsUsageOnStderr() throws {
        let result = try entente.run([])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.out, "")
        XCTAssertTrue(result.err.contains("entente serve"), result.err)
    }

    func testEachCommandHasItsOwnHelp() throws {
        let serve = try entente.run(["serve", "--help"])
        XCTAssertEqual(serve.status, 0)
        for flag in ["--host", "--port", "--db", "--migrations", "--synchronous", "--max-head-bytes", "--max-body-bytes",
                     "--head-timeout", "--idle-timeout", "--workers", "ENTENTE_ADMIN_KEY"] {
            XCTAssertTrue(serve.out.contains(flag), "serve --help shows \(flag)")
        }
        XCTAssertFalse(serve.out.contains("--role"), "serve --help shows serve's options only")
        let keys = try entente.run(["keys", "create", "--help"])
        XCTAssertEqual(keys.status, 0)
        for flag in ["--db", "--name", "--role", "--partner"] {
            XCTAssertTrue(keys.out.contains(flag), "keys create --help shows \(flag)")
        }
        XCTAssertFalse(keys.out.contains("--max-body-bytes"), "keys create --help shows its own options only")
    }

    /// Every `ENTENTE_*` variable the sources read, and every flag the
    /// commands take, is in `entente --help`.
    func testHelpListsEveryFlagAndEveryVariableTheCodeReads() throws {
        let help = try entente.run(["--help"])
        XCTAssertEqual(help.status, 0)
        var variables: Set<String> = []
        var flags: Set<String> = []
        let sources = EntenteProcess.sourceRoot.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        XCTAssertFalse(files.isEmpty)
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: /"(ENTENTE_[A-Z_]+)"/) { variables.insert(String(match.1)) }
            if file.hasPrefix("entente/") {
                for match in text.matches(of: /"(--[a-z-]+)"/) { flags.insert(String(match.1)) }
            }
        }
        XCTAssertTrue(variables.isSuperset(of: ["ENTENTE_DB", "ENTENTE_SYNCHRONOUS", "ENTENTE_WEBHOOK_FIRST_RETRY", "ENTENTE_OPENAPI"]), "\(variables)")
        XCTAssertTrue(flags.contains("--migrations"), "\(flags)")
        for name in variables.union(flags).sorted() {
            XCTAssertTrue(help.out.contains(name), "entente --help lists \(name)")
        }
    }
}
