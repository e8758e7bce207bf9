import Foundation
import SQLite
#if canImport(Glibc)
import Glibc
#endif

/// What can be wrong with the place a database is asked to live, said in the
/// terms of what to do about it rather than in SQLite's result codes.
struct DatabaseFileError: Error, CustomStringConvertible {
    let path: String
    let problem: String
    var description: String { "cannot use the database \(path): \(problem)" }
}

/// Checks on a database path before SQLite opens it, and the translation of
/// SQLite's open errors afterwards.
enum DatabaseFile {
    /// Throws when the file cannot be opened for writing.
    ///
    /// `mustExist` is for commands that work on a database the server made:
    /// they must not create an empty one at a mistyped path.
    static func check(_ path: String, mustExist: Bool = false) throws(DatabaseFileError) {
        let folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) else {
            throw DatabaseFileError(path: path, problem: "the folder \(folder) does not exist (create it first)")
        }
        guard isFolder.boolValue else { throw DatabaseFileError(path: path, problem: "\(folder) is not a folder") }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            if isFolder.boolValue { throw DatabaseFileError(path: path, problem: "it is a folder, not a database file") }
            if access(path, R_OK) != 0 { throw DatabaseFileError(path: path, problem: "the file is not readable (\(reason(errno)))") }
            if access(path, W_OK) != 0 { throw DatabaseFileError(path: path, problem: "the file is read-only (\(reason(errno))); Entente must write it") }
        } else if mustExist {
            throw DatabaseFileError(path: path, problem: "no such file (start `entente serve` or run `entente migrate` first, or check --db)")
        }
        // WAL mode writes PATH-wal and PATH-shm beside the database.
        if access(folder, W_OK) != 0 {
            throw DatabaseFileError(
                path: path, problem: "the folder \(folder) is not writable (\(reason(errno))); Entente writes the database and its -wal and -shm files there")
        }
    }

    /// SQLite's error on opening `path`, said plainly.
    static func explain(_ error: SQLiteError, path: String) -> DatabaseFileError {
        switch error.code {
        case 26: DatabaseFileError(path: path, problem: "the file is not an SQLite database")  // SQLITE_NOTADB
        case 11: DatabaseFileError(path: path, problem: "the file is corrupt (\(error.message))")  // SQLITE_CORRUPT
        case 8: DatabaseFileError(path: path, problem: "the file is read-only; Entente must write it")  // SQLITE_READONLY
        case 13: DatabaseFileError(path: path, problem: "the disk is full")  // SQLITE_FULL
        default: DatabaseFileError(path: path, problem: error.message)
        }
    }

    private static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
