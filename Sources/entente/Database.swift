import HTTPServer
import Registry
import SQLite

/// The opened and migrated database, and the registry over it.
struct Database {
    let pool: DatabasePool
    let registry: Registry

    /// Opens `--db` (or `ENTENTE_DB`, or `./entente.sqlite`), applies pending migrations
    /// and logs each one.
    static func open(arguments: Arguments, environment: [String: String], requireDB: Bool = false) throws -> Database {
        guard let path = arguments.options["--db"] ?? environment["ENTENTE_DB"] ?? (requireDB ? nil : "./entente.sqlite") else {
            throw UsageError("--db PATH is required")
        }
        var configuration = Configuration()
        if let level = arguments.options["--synchronous"] ?? environment["ENTENTE_SYNCHRONOUS"] {
            guard let synchronous = Configuration.Synchronous(rawValue: level.lowercased()) else {
                throw UsageError("--synchronous must be full or normal")
            }
            configuration.synchronous = synchronous
        }
        guard let folder = ResourceLocator.find("Migrations", explicit: arguments.options["--migrations"] ?? environment["ENTENTE_MIGRATIONS"]) else {
            throw UsageError("cannot find the Migrations folder; pass --migrations DIR")
        }
        let migrator = try Migrator(directory: folder)
        let pool = try DatabasePool(path: path, configuration: configuration)
        do {
            let applied = try pool.write { try migrator.migrate($0) }
            for migration in applied {
                log.write("migration applied", [("version", migration.version), ("name", migration.name), ("database", path)])
            }
        } catch {
            pool.close()
            throw error
        }
        return Database(pool: pool, registry: Registry(pool: pool))
    }
}
