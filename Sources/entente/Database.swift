import Logging
import Registry
import SQLite

/// The opened and migrated database, and the registry over it.
struct Database {
    let pool: DatabasePool
    let registry: Registry

    /// Opens `--db` (or `ENTENTE_DB`, or `./entente.sqlite`), applies pending
    /// migrations and logs each one.
    ///
    /// Everything the command line says is checked before the file is touched,
    /// and a file that cannot be used is reported by path and reason.
    static func open(_ arguments: Arguments, mustExist: Bool = false, lock: Bool = false) throws -> (Database, ServerLock?) {
        let path = try arguments.required("--db")
        var configuration = Configuration()
        let level = try arguments.required("--synchronous")
        guard let synchronous = Configuration.Synchronous(rawValue: level.lowercased()), synchronous != .off else {
            throw UsageError("--synchronous must be full or normal, not '\(level)'")
        }
        configuration.synchronous = synchronous
        guard let folder = ResourceLocator.find("Migrations", explicit: arguments.value("--migrations")) else {
            throw UsageError("cannot find the Migrations folder; pass --migrations DIR")
        }
        let migrator = try Migrator(directory: folder)

        try DatabaseFile.check(path, mustExist: mustExist)
        let serverLock = lock ? try ServerLock(path: path) : nil
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch let error as SQLiteError {
            throw DatabaseFile.explain(error, path: path)
        }
        do {
            let applied = try pool.withWriter { try Registry.migrate($0, with: migrator) }
            for migration in applied {
                log.write("migration applied", [("version", migration.version), ("name", migration.name), ("database", path)])
            }
        } catch {
            pool.close()
            throw error
        }
        return (Database(pool: pool, registry: Registry(pool: pool)), serverLock)
    }
}
