import SQLite

extension Registry {
    /// Applies `migrator`'s pending migrations on `connection`, with the SQL
    /// functions the registry's migrations call defined first:
    /// `entente_text_sha256(document)` is `TextDigest.of(documentText:)`
    /// (0004 gives the revisions stored before it their digests).
    @discardableResult
    public static func migrate(_ connection: Connection, with migrator: Migrator) throws -> [Migration] {
        try connection.defineFunction("entente_text_sha256") { text in text.flatMap(TextDigest.of(documentText:)) }
        return try migrator.migrate(connection)
    }
}
