import Foundation
import Logging

/// `entente`: the registry's command-line entry point.
let version = "0.1.0"
let log = JSONLineLog()
let environment = ProcessInfo.processInfo.environment

func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data("entente: \(message)\n".utf8))
    exit(status)
}

/// The command the leading words name, and the words after them.
func command(in words: [String]) throws(UsageError) -> (Command, ArraySlice<String>) {
    for command in Command.all where words.starts(with: command.words) {
        return (command, words.dropFirst(command.words.count))
    }
    let typed = words.prefix { !$0.hasPrefix("-") }.joined(separator: " ")
    throw UsageError("unknown command '\(typed)' (commands: \(Command.all.map(\.name).joined(separator: ", ")); see entente --help)")
}

let words = Array(CommandLine.arguments.dropFirst())
switch words.first {
case nil:
    fail("no command given\n\n" + Usage.overview(version: version), status: 2)
case "--help", "-h", "help":
    print(Usage.overview(version: version))
    exit(0)
case "--version":
    print("entente \(version)")
    exit(0)
case let word? where word.hasPrefix("-"):
    fail("unknown flag \(word) (see entente --help)", status: 2)
default:
    break
}

do {
    let (command, rest) = try command(in: words)
    let arguments = try Arguments(rest, for: command, environment: environment)
    if arguments.isSet("--help") {
        print(Usage.help(for: command))
        exit(0)
    }
    switch command.words {
    case Command.serve.words:
        try Serve(arguments: arguments, environment: environment).run()
    case Command.migrate.words:
        let (database, _) = try Database.open(arguments)
        database.pool.close()
    case Command.keysCreate.words:
        try KeysCreate.run(arguments)
    case Command.backup.words:
        try Backup.run(arguments)
    case Command.healthcheck.words:
        let url = arguments.value("--url").map { $0.replacingOccurrences(of: "$ENTENTE_PORT", with: environment["ENTENTE_PORT"] ?? "8080") }
        exit(Healthcheck.run(url: url ?? ""))
    default:
        preconditionFailure("\(command.name) is declared but not dispatched")
    }
} catch let error as UsageError {
    fail(error.description, status: 2)
} catch {
    fail("\(error)", status: 1)
}
