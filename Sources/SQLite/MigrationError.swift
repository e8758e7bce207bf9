/// Why the migrator refused to run, or stopped.
public enum MigrationError: Error, CustomStringConvertible, Sendable {
    /// A `.sql` file in the migrations directory is not named `NNNN_name.sql`
    /// (four or more digits, an underscore, a name of letters, digits, `_` or `-`).
    case badFileName(fileName: String)
    /// Two migrations share a version number.
    case duplicateVersion(version: Int, fileNames: [String])
    /// The migrations directory or one of its files could not be read, or is not UTF-8.
    case unreadable(path: String, reason: String)
    /// An applied migration's file has changed since it was applied.
    case checksumMismatch(fileName: String, recorded: String, current: String)
    /// The database records a migration for which there is no file: it was
    /// migrated by a newer version of the code, or a file was deleted.
    case missingFile(version: Int, name: String)
    /// A migration failed; it was rolled back entirely.
    case failed(fileName: String, underlying: SQLiteError)

    public var description: String {
        switch self {
        case .badFileName(let fileName):
            "migration file \(fileName) is not named NNNN_name.sql"
        case .duplicateVersion(let version, let fileNames):
            "migration version \(version) is used by several files: \(fileNames.joined(separator: ", "))"
        case .unreadable(let path, let reason):
            "cannot read migrations at \(path): \(reason)"
        case .checksumMismatch(let fileName, let recorded, let current):
            "migration \(fileName) was changed after it was applied (checksum \(recorded), now \(current)); add a new migration instead"
        case .missingFile(let version, let name):
            "the database has migration \(version) (\(name)) applied, but there is no file for it"
        case .failed(let fileName, let underlying):
            "migration \(fileName) failed and was rolled back: \(underlying)"
        }
    }
}
