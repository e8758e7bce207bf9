#if canImport(Glibc)
import Glibc
#endif

/// Keeps a second `entente serve` off a database another one is serving.
///
/// SQLite alone would let both run: each would keep its own caches, its own
/// group commit and its own background jobs over the same rows. The lock is an
/// exclusive `flock` on the database file itself, held while the process
/// lives; the kernel drops it when the process ends, however it ends, so
/// there is no stale lock to clean up. (`flock` locks are separate from the
/// `fcntl` locks SQLite takes, so the two never interfere.) Commands such as
/// `keys create` do not take it: they are short writers SQLite serialises.
final class ServerLock {
    private let fd: Int32

    /// Locks `path`, creating the file (an empty file is an empty database) if needed.
    init(path: String) throws(DatabaseFileError) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw DatabaseFileError(path: path, problem: "cannot open it to lock it (\(String(cString: strerror(errno))))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw DatabaseFileError(path: path, problem: "another entente server is already serving it (stop that one, or pick another --db)")
        }
        self.fd = fd
    }

    deinit {
        close(fd)
    }
}
