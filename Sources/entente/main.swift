import Dispatch
import EntenteAPI
import Foundation
import HTTPServer
import Registry
import SQLite

/// `entente`: the registry's command-line entry point.
let version = "0.1.0"

let usage = """
    entente \(version): a registry of strategic partnerships for cultural projects.

    Usage:
      entente serve [--host 127.0.0.1] [--port 8080] [--db ./entente.sqlite] [--synchronous full|normal]
                    [--max-head-bytes 16384] [--max-body-bytes 1048576] [--head-timeout 10] [--idle-timeout 60] [--workers 8]
      entente migrate --db PATH
      entente keys create --db PATH --name NAME --role admin|editor|reader|partner [--partner PARTNER_ID]
      entente healthcheck [--url http://127.0.0.1:8080/healthz]
      entente --help | --version

    Environment: ENTENTE_HOST, ENTENTE_PORT, ENTENTE_DB (defaults for serve's flags),
    ENTENTE_ADMIN_KEY (seeds that exact token as an admin key), ENTENTE_MIGRATIONS (the migrations folder).
    """

let log = JSONLineLog()
let environment = ProcessInfo.processInfo.environment

func fail(_ message: String, status: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data("entente: \(message)\n".utf8))
    exit(status)
}

do {
    let arguments = try Arguments(Array(CommandLine.arguments.dropFirst()))
    if arguments.flags.contains("--version") {
        print("entente \(version)")
        exit(0)
    }
    if arguments.flags.contains("--help") || arguments.commands.isEmpty {
        print(usage)
        exit(arguments.commands.isEmpty && !arguments.flags.contains("--help") ? 2 : 0)
    }
    switch arguments.commands {
    case ["serve"]:
        try Serve(arguments: arguments, environment: environment).run()
    case ["migrate"]:
        let database = try Database.open(arguments: arguments, environment: environment, requireDB: true)
        database.pool.close()
    case ["keys", "create"]:
        try createKey(arguments)
    case ["healthcheck"]:
        exit(Healthcheck.run(url: arguments.options["--url"] ?? "http://127.0.0.1:\(environment["ENTENTE_PORT"] ?? "8080")/healthz"))
    default:
        throw UsageError("unknown command \(arguments.commands.joined(separator: " ")); see entente --help")
    }
} catch let error as UsageError {
    fail("\(error)\n\n\(usage)", status: 2)
} catch {
    fail("\(error)")
}

func createKey(_ arguments: Arguments) throws {
    guard let name = arguments.options["--name"], let roleName = arguments.options["--role"] else {
        throw UsageError("keys create needs --name and --role")
    }
    guard let role = Role(rawValue: roleName) else { throw UsageError("--role must be admin, editor, reader or partner") }
    if (role == .partner) != (arguments.options["--partner"] != nil) {
        throw UsageError("--partner goes with --role partner, and only with it")
    }
    let database = try Database.open(arguments: arguments, environment: environment, requireDB: true)
    defer { database.pool.close() }
    let (key, token) = try database.registry.createKey(name: name, role: role, partnerID: arguments.options["--partner"])
    FileHandle.standardError.write(Data("Created API key \(key.id) (\(role.rawValue)). Its token, shown once:\n".utf8))
    print(token)
}
