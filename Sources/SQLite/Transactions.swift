/// How `BEGIN` acquires locks (see SQLite's `BEGIN` documentation).
public enum TransactionKind: Sendable {
    /// Takes locks lazily: a read lock at the first read, the write lock at the first write.
    case deferred
    /// Takes the write lock at once, so the transaction cannot fail later with `SQLITE_BUSY`
    /// when it upgrades from reading to writing. The default for writes.
    case immediate
    /// Like `immediate`; in WAL mode the two are the same.
    case exclusive

    var beginStatement: String {
        switch self {
        case .deferred: "BEGIN DEFERRED"
        case .immediate: "BEGIN IMMEDIATE"
        case .exclusive: "BEGIN EXCLUSIVE"
        }
    }
}

extension Connection {
    /// Runs `body` inside a transaction: `BEGIN`, then `COMMIT` when `body` returns.
    ///
    /// When `body` throws, or the commit fails, the transaction is rolled back and
    /// the error rethrown. Transactions do not nest; use `savepoint(_:)` inside one.
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        try run(kind.beginStatement)
        let result: T
        do {
            result = try body()
            try run("COMMIT")
        } catch {
            rollBackTransaction()
            throw error
        }
        return result
    }

    /// Runs `body` inside a savepoint: `SAVEPOINT sN`, then `RELEASE sN` when `body` returns.
    ///
    /// When `body` throws, only its own work is undone (`ROLLBACK TO sN` then
    /// `RELEASE sN`) and the error rethrown; an enclosing transaction or savepoint
    /// carries on. Savepoints nest. Outside a transaction, the outermost savepoint
    /// acts as a (deferred) transaction that commits on release.
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        let name = "s\(savepointDepth)"
        try run("SAVEPOINT \(name)")
        let result: T
        do {
            result = try body()
            try run("RELEASE \(name)")
        } catch {
            rollBack(to: name)
            throw error
        }
        return result
    }

    // Rollback failures are ignored below: the error that caused the rollback is
    // the one worth reporting. If SQLite already rolled the whole transaction back
    // by itself (it does on some errors, e.g. SQLITE_FULL), there is nothing to undo.

    private func rollBackTransaction() {
        guard isInTransaction else { return }
        try? run("ROLLBACK")
    }

    private func rollBack(to savepoint: String) {
        guard isInTransaction else { return }
        try? run("ROLLBACK TO \(savepoint)")
        try? run("RELEASE \(savepoint)")
    }
}
