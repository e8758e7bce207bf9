import Foundation
import SQLite
import Timekeeping

/// `entente backup`: a consistent copy of a live database, taken while the
/// server keeps serving.
///
/// `VACUUM INTO` runs in one read transaction, so the copy is the database as
/// of one commit: every write acknowledged before the backup began is in it,
/// and no write is half in it. It is compact, and it is a plain SQLite file
/// (no -wal beside it), so restoring is copying it into place.
enum Backup {
    static func run(_ arguments: Arguments) throws {
        let path = try arguments.required("--db")
        let target = try arguments.required("--to")
        try DatabaseFile.check(path, mustExist: true)
        if FileManager.default.fileExists(atPath: target) {
            throw DatabaseFileError(path: target, problem: "the file already exists; Entente never overwrites a backup")
        }
        let folder = (target as NSString).deletingLastPathComponent.isEmpty ? "." : (target as NSString).deletingLastPathComponent
        guard FileManager.default.fileExists(atPath: folder) else {
            throw DatabaseFileError(path: target, problem: "the folder \(folder) does not exist (create it first)")
        }
        let started = MonotonicClock.now()
        do {
            let source = try Connection(path: path, readOnly: true)
            try source.run("VACUUM INTO ?", [target])
            source.close()
            let copy = try Connection(path: target, readOnly: true)
            defer { copy.close() }
            let integrity = try copy.queryOne("PRAGMA integrity_check")?.string("integrity_check")
            guard integrity == "ok" else {
                throw DatabaseFileError(path: target, problem: "the copy fails its integrity check: \(integrity ?? "no answer")")
            }
        } catch let error as SQLiteError {
            throw DatabaseFile.explain(error, path: path)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: target)[.size] as? Int) ?? 0
        log.write("backup written", [("database", path), ("to", target), ("bytes", size),
                                     ("duration_ms", Int(MonotonicClock.seconds(since: started) * 1000))])
    }
}
