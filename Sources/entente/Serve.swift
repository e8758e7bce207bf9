import Dispatch
import EntenteAPI
import Foundation
import HTTPServer
import Registry

/// `entente serve`: migrate, make sure an admin key exists, serve until SIGTERM/SIGINT.
struct Serve {
    let arguments: Arguments
    let environment: [String: String]

    func run() throws {
        ShutdownSignals.block()
        let host = arguments.options["--host"] ?? environment["ENTENTE_HOST"] ?? "127.0.0.1"
        let portText = arguments.options["--port"] ?? environment["ENTENTE_PORT"] ?? "8080"
        guard let port = Int(portText), (0...65535).contains(port) else { throw UsageError("--port must be 0–65535") }

        let database = try Database.open(arguments: arguments, environment: environment)
        try bootstrapAdminKey(database.registry)
        let openAPI = ResourceLocator.find("docs/openapi.yaml", explicit: environment["ENTENTE_OPENAPI"])
            .flatMap { FileManager.default.contents(atPath: $0) }.map { Array($0) } ?? []
        let api = EntenteAPI(registry: database.registry, openAPIDocument: openAPI, log: log)
        let server = try HTTPServer.start(
            configuration: try serverConfiguration(host: host, port: port),
            responder: api,
            observer: ObserverGroup([AccessLog(log: log), api.metrics])
        )
        api.metrics.observeConnections { server.openConnections }
        let deliverer = WebhookDeliverer(registry: database.registry, metrics: api.metrics, log: log, schedule: webhookSchedule())
        deliverer.start()

        ShutdownSignals.wait { number in
            log.write("stopping", [("signal", number == SIGTERM ? "SIGTERM" : "SIGINT")])
            deliverer.requestStop()
            server.shutdown()
        }
        log.write("started", [("version", version), ("host", host), ("port", server.port), ("database", database.pool.path)])
        server.waitUntilStopped()
        deliverer.stop(timeout: 2)
        database.pool.close()
        log.write("stopped")
    }

    /// The limits of API.md §10, each adjustable by a flag.
    private func serverConfiguration(host: String, port: Int) throws -> ServerConfiguration {
        ServerConfiguration(
            host: host,
            port: port,
            limits: .init(
                maxHeadBytes: try arguments.integer("--max-head-bytes", in: 1024...1_048_576, default: 16 * 1024),
                maxBodyBytes: try arguments.integer("--max-body-bytes", in: 1024...67_108_864, default: 1024 * 1024)
            ),
            headTimeout: .seconds(try arguments.integer("--head-timeout", in: 1...3600, default: 10)),
            idleTimeout: .seconds(try arguments.integer("--idle-timeout", in: 1...86_400, default: 60)),
            workerThreads: try arguments.integer("--workers", in: 1...256, default: 8)
        )
    }

    /// `ENTENTE_WEBHOOK_FIRST_RETRY` (seconds) shortens the retry schedule, for tests and demos.
    private func webhookSchedule() -> WebhookDeliverer.Schedule {
        var schedule = WebhookDeliverer.Schedule()
        if let text = environment["ENTENTE_WEBHOOK_FIRST_RETRY"], let seconds = Double(text), seconds > 0 {
            schedule.firstRetry = seconds
            schedule.pollInterval = min(schedule.pollInterval, seconds / 2)
        }
        return schedule
    }

    /// `ENTENTE_ADMIN_KEY` seeds that token as an admin key; otherwise, on an
    /// empty key table, a new admin token is made and printed once.
    private func bootstrapAdminKey(_ registry: Registry) throws {
        if let seeded = environment["ENTENTE_ADMIN_KEY"], !seeded.isEmpty {
            let state = try registry.keyState(token: seeded)
            if !state.exists {
                let (key, _) = try registry.createKey(name: "ENTENTE_ADMIN_KEY", role: .admin, partnerID: nil, token: seeded)
                log.write("admin key seeded from ENTENTE_ADMIN_KEY", [("key_id", key.id)])
            } else if state.revoked {
                log.write(level: "warn", "ENTENTE_ADMIN_KEY names a revoked key; it stays revoked (set another token)")
            }
        } else if try registry.keyCount() == 0 {
            let (key, token) = try registry.createKey(name: "bootstrap admin", role: .admin, partnerID: nil)
            log.write("bootstrap admin key created; its token is printed once on stderr", [("key_id", key.id)])
            FileHandle.standardError.write(Data("\nFirst admin token (shown once, keep it safe):\n\n    \(token)\n\n".utf8))
        }
    }
}
