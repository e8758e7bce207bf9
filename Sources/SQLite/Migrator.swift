import Foundation

/// Applies numbered SQL migrations in version order, each exactly once.
///
/// Applied migrations are recorded in `schema_migrations(version, name,
/// checksum, applied_at)`. Each pending migration runs in its own IMMEDIATE
/// transaction together with its record, so it is applied completely or not
/// at all. Before anything runs, every applied migration is checked against
/// its file: an edited file (checksum differs) or a missing one stops the
/// migrator, since the database would no longer match the code's history.
public struct Migrator: Sendable {
    /// The migrations, sorted by version.
    public let migrations: [Migration]

    /// Reads the `NNNN_name.sql` files of `directory` (other files are ignored).
    /// Throws for a `.sql` file with a bad name, two files with the same number,
    /// or a file that cannot be read as UTF-8.
    public init(directory: String) throws {
        let fileNames: [String]
        do {
            fileNames = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw MigrationError.unreadable(path: directory, reason: error.localizedDescription)
        }
        var migrations: [Migration] = []
        // Lowercased so that `0001_x.SQL` is refused as a bad name rather than silently skipped.
        for fileName in fileNames where fileName.lowercased().hasSuffix(".sql") {
            guard let (version, name) = Self.parseFileName(fileName) else {
                throw MigrationError.badFileName(fileName: fileName)
            }
            let path = URL(fileURLWithPath: directory).appendingPathComponent(fileName).path
            guard let data = FileManager.default.contents(atPath: path) else {
                throw MigrationError.unreadable(path: path, reason: "the file cannot be read")
            }
            guard let sql = String(validating: data, as: UTF8.self) else {
                throw MigrationError.unreadable(path: path, reason: "the file is not valid UTF-8")
            }
            migrations.append(Migration(version: version, name: name, sql: sql, fileName: fileName))
        }
        try Self.checkUniqueVersions(migrations)
        self.init(migrations: migrations)
    }

    /// Uses the given migrations, in version order. Duplicate versions are reported by `migrate`.
    public init(migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Applies the pending migrations on `connection` (a writable connection
    /// outside any transaction) and returns those applied by this call.
    ///
    /// A failing migration is rolled back completely and reported as
    /// `MigrationError.failed`; the ones before it stay applied.
    @discardableResult
    public func migrate(_ connection: Connection) throws -> [Migration] {
        try Self.checkUniqueVersions(migrations)
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                checksum TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )
            """)

        let migrationByVersion = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        var appliedVersions: Set<Int> = []
        for record in try connection.query("SELECT version, name, checksum FROM schema_migrations") {
            // `version` is the INTEGER PRIMARY KEY (the rowid), so it is never NULL.
            let version = Int(record.int("version") ?? 0)
            guard let migration = migrationByVersion[version] else {
                throw MigrationError.missingFile(version: version, name: record.string("name") ?? "")
            }
            let recorded = record.string("checksum") ?? ""
            guard recorded == migration.checksum else {
                throw MigrationError.checksumMismatch(fileName: migration.fileName, recorded: recorded, current: migration.checksum)
            }
            appliedVersions.insert(version)
        }

        var appliedNow: [Migration] = []
        for migration in migrations where !appliedVersions.contains(migration.version) {
            do {
                try connection.transaction(.immediate) {
                    try connection.execute(migration.sql)
                    try connection.run(
                        """
                        INSERT INTO schema_migrations (version, name, checksum, applied_at)
                        VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                        """,
                        [migration.version, migration.name, migration.checksum])
                }
            } catch let error as SQLiteError {
                throw MigrationError.failed(fileName: migration.fileName, underlying: error)
            }
            appliedNow.append(migration)
        }
        return appliedNow
    }

    /// Splits `NNNN_name.sql` into its version and name; `nil` when the name does not fit.
    static func parseFileName(_ fileName: String) -> (version: Int, name: String)? {
        guard fileName.hasSuffix(".sql") else { return nil }
        let stem = fileName.dropLast(".sql".count)
        guard let underscore = stem.firstIndex(of: "_") else { return nil }
        let digits = stem[..<underscore]
        let name = stem[stem.index(after: underscore)...]
        guard digits.count >= 4,
              digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let version = Int(digits),
              !name.isEmpty,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
        else { return nil }
        return (version, String(name))
    }

    private static func checkUniqueVersions(_ migrations: [Migration]) throws {
        let fileNamesByVersion = Dictionary(grouping: migrations, by: \.version).mapValues { $0.map(\.fileName).sorted() }
        if let (version, fileNames) = fileNamesByVersion.filter({ $0.value.count > 1 }).min(by: { $0.key < $1.key }) {
            throw MigrationError.duplicateVersion(version: version, fileNames: fileNames)
        }
    }
}
