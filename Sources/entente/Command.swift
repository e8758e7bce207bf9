/// One option a command accepts: a `--flag VALUE` (or a bare `--flag` switch),
/// with the environment variable and default that stand in when it is absent.
struct Option: Sendable {
    let flag: String
    /// What the value is called in help (`PATH`); nil for a switch.
    let value: String?
    /// The `ENTENTE_*` variable read when the flag is absent.
    let environment: String?
    /// The value used when neither the flag nor the variable is given.
    let defaultValue: String?
    let help: String

    init(_ flag: String, _ value: String?, environment: String? = nil, default defaultValue: String? = nil, _ help: String) {
        self.flag = flag
        self.value = value
        self.environment = environment
        self.defaultValue = defaultValue
        self.help = help
    }
}

/// A variable the program reads that no flag stands for.
struct EnvironmentVariable: Sendable {
    let name: String
    let help: String
}

/// A command of the executable (`serve`, `keys create`…): its words, its
/// options and the variables it reads. Parsing, help and usage errors all
/// come from this one description, so help can never omit a flag the code takes.
struct Command: Sendable {
    let words: [String]
    let summary: String
    let options: [Option]
    let environment: [EnvironmentVariable]

    var name: String { words.joined(separator: " ") }

    func option(_ flag: String) -> Option? { options.first { $0.flag == flag } }
}

extension Command {
    static let database = Option("--db", "PATH", environment: "ENTENTE_DB", default: "./entente.sqlite", "the SQLite database file")
    static let migrations = Option(
        "--migrations", "DIR", environment: "ENTENTE_MIGRATIONS",
        "the schema migrations (default: ./Migrations, then ../share/entente/Migrations beside the binary, then the source tree's)")
    static let synchronous = Option(
        "--synchronous", "full|normal", environment: "ENTENTE_SYNCHRONOUS", default: "full",
        "how hard each commit is synced to disk (normal may lose the last commits on power loss)")
    static let help = Option("--help", nil, "show this help")

    static let serve = Command(
        words: ["serve"],
        summary: "migrate the database, make sure an admin key exists, serve HTTP until SIGTERM or SIGINT",
        options: [
            Option("--host", "ADDRESS", environment: "ENTENTE_HOST", default: "127.0.0.1", "the address to listen on"),
            Option("--port", "PORT", environment: "ENTENTE_PORT", default: "8080", "the TCP port (0 picks a free one, logged in \"started\")"),
            database, migrations, synchronous,
            Option("--max-head-bytes", "N", default: "16384", "largest request line and headers, 1024–1048576"),
            Option("--max-body-bytes", "N", default: "1048576", "largest request body, 1024–67108864"),
            Option("--head-timeout", "SECONDS", default: "10", "time allowed to send the request head, 1–3600"),
            Option("--idle-timeout", "SECONDS", default: "60", "how long an idle keep-alive connection stays open, 1–86400"),
            Option("--workers", "N", default: "8", "worker threads for GET and HEAD requests, 1–256"),
            Option("--write-workers", "N", default: "24", "worker threads for the other methods (writes waiting for their commit), 1–256"),
            Option("--max-connections", "N", default: "16384", "connections open at once; more are answered 503 and closed, 1–1000000"),
            help,
        ],
        environment: [
            EnvironmentVariable(name: "ENTENTE_ADMIN_KEY", help: "seed this exact token as an admin key instead of printing a new one"),
            EnvironmentVariable(name: "ENTENTE_OPENAPI", help: "the document served at /openapi.yaml (default: docs/openapi.yaml, found like the migrations)"),
            EnvironmentVariable(name: "ENTENTE_WEBHOOK_FIRST_RETRY", help: "seconds before a failed webhook delivery's first retry (default 10; for tests and demos)"),
        ]
    )

    static let migrate = Command(
        words: ["migrate"],
        summary: "create or migrate the database, then exit",
        options: [database, migrations, synchronous, help],
        environment: []
    )

    static let keysCreate = Command(
        words: ["keys", "create"],
        summary: "create an API key in an existing database and print its token once (also while the server runs)",
        options: [
            database, migrations, synchronous,
            Option("--name", "NAME", "what the key is for (required)"),
            Option("--role", "admin|editor|reader|partner", "what the key may do (required)"),
            Option("--partner", "PARTNER_ID", "the partner a partner key acts for (with --role partner only)"),
            help,
        ],
        environment: []
    )

    static let healthcheck = Command(
        words: ["healthcheck"],
        summary: "exit 0 when the server's /healthz answers 200 within 3 seconds (the container's HEALTHCHECK)",
        options: [
            Option("--url", "URL", default: "http://127.0.0.1:$ENTENTE_PORT/healthz", "the URL to ask (ENTENTE_PORT defaults to 8080)"),
            help,
        ],
        environment: [EnvironmentVariable(name: "ENTENTE_PORT", help: "the port of the default URL")]
    )

    static let backup = Command(
        words: ["backup"],
        summary: "write a consistent copy of the database to a new file, also while the server runs (restore: stop the server, put the copy in place)",
        options: [
            database,
            Option("--to", "FILE", "the copy to write (required; never overwritten)"),
            help,
        ],
        environment: []
    )

    static let all: [Command] = [serve, migrate, keysCreate, backup, healthcheck]
}
