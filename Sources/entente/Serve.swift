import Dispatch
import EntenteAPI
import Foundation
import HTTPServer
import Logging
import Registry

/// `entente serve`: migrate, listen, make sure an admin key exists, serve until SIGTERM/SIGINT.
///
/// The order matters to a newcomer: every flag is checked, the database is
/// opened and locked, and the port is bound before the first admin token is
/// made and printed, so a failed start never spends the token it would print;
/// requests are served only after that, so none meets a missing admin key.
struct Serve {
    let arguments: Arguments
    let environment: [String: String]

    func run() throws {
        ShutdownSignals.block()
        let configuration = try serverConfiguration()
        let schedule = try webhookSchedule()
        let (database, lock) = try Database.open(arguments, lock: true)
        defer { withExtendedLifetime(lock) {} }

        let openAPI = ResourceLocator.find("docs/openapi.yaml", explicit: environment["ENTENTE_OPENAPI"])
            .flatMap { FileManager.default.contents(atPath: $0) }.map { Array($0) } ?? []
        let api = EntenteAPI(registry: database.registry, openAPIDocument: openAPI, log: log)
        let listener: HTTPListener
        do {
            listener = try HTTPListener.bind(configuration)
        } catch {
            database.pool.close()
            throw ServeError("cannot listen on \(configuration.host):\(configuration.port): \(error)")
        }
        let server: HTTPServer
        do {
            // Served only once the admin key exists: a client that sees /healthz answer can use it.
            try bootstrapAdminKey(database.registry, path: database.pool.path)
            server = try HTTPServer.start(listener: listener, configuration: configuration, responder: api,
                                          observer: ObserverGroup([AccessLog(log: log), api.metrics]))
        } catch {
            listener.close()
            database.pool.close()
            throw error
        }
        api.metrics.observeConnections { server.openConnections }
        let deliverer = WebhookDeliverer(registry: database.registry, metrics: api.metrics, log: log, schedule: schedule)
        deliverer.start()
        let jobs = JobScheduler(jobs: JobScheduler.registryJobs(database.registry), log: log, tick: schedule.pollInterval)
        jobs.start()

        ShutdownSignals.wait { number in
            log.write("stopping", [("signal", number == SIGTERM ? "SIGTERM" : "SIGINT")])
            deliverer.requestStop()
            jobs.requestStop()
            server.shutdown()
        }
        log.write("started", [("version", version), ("host", configuration.host), ("port", server.port), ("database", database.pool.path)])
        server.waitUntilStopped()
        deliverer.stop(timeout: 2)
        jobs.stop(timeout: 2)
        if let error = database.pool.close() {
            log.write(level: "warn", "the write-ahead log stays beside the database; it is applied on the next start",
                      [("reason", error.storageFault ?? error.message)])
        }
        log.write("stopped")
    }

    /// The address and the limits of API.md §10, each adjustable by a flag.
    private func serverConfiguration() throws(UsageError) -> ServerConfiguration {
        ServerConfiguration(
            host: try arguments.required("--host"),
            port: try arguments.integer("--port", in: 0...65535),
            limits: .init(
                maxHeadBytes: try arguments.integer("--max-head-bytes", in: 1024...1_048_576),
                maxBodyBytes: try arguments.integer("--max-body-bytes", in: 1024...67_108_864)
            ),
            headTimeout: .seconds(try arguments.integer("--head-timeout", in: 1...3600)),
            idleTimeout: .seconds(try arguments.integer("--idle-timeout", in: 1...86_400)),
            workerThreads: try arguments.integer("--workers", in: 1...256),
            writeWorkerThreads: try arguments.integer("--write-workers", in: 1...256),
            maxConnections: try arguments.integer("--max-connections", in: 1...1_000_000)
        )
    }

    /// `ENTENTE_WEBHOOK_FIRST_RETRY` (seconds) shortens the retry schedule, for tests and demos.
    private func webhookSchedule() throws(UsageError) -> WebhookDeliverer.Schedule {
        var schedule = WebhookDeliverer.Schedule()
        if let text = environment["ENTENTE_WEBHOOK_FIRST_RETRY"], !text.isEmpty {
            guard let seconds = Double(text), seconds > 0, seconds <= 3600 else {
                throw UsageError("ENTENTE_WEBHOOK_FIRST_RETRY must be a number of seconds above 0 and at most 3600, not '\(text)'")
            }
            schedule.firstRetry = seconds
            schedule.pollInterval = min(schedule.pollInterval, seconds / 2)
        }
        return schedule
    }

    /// `ENTENTE_ADMIN_KEY` seeds that token as an admin key; otherwise, on an
    /// empty key table, a new admin token is made and printed once.
    private func bootstrapAdminKey(_ registry: Registry, path: String) throws {
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
            FileHandle.standardError.write(Data("""

                First admin token (shown once, keep it safe):

                    \(token)

                Lost it? Create another: entente keys create --db \(path) --name NAME --role admin


                """.utf8))
        }
    }
}

/// A start that failed for a reason outside the command line (exit status 1).
struct ServeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
