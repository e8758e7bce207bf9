import Foundation
import Locks

/// Copies the WAL back into the database file on a thread of its own, so no
/// commit pays for a checkpoint. The writer's WAL hook reports the WAL's
/// size after each commit; from `threshold` frames on, the thread runs a
/// passive checkpoint on its own connection, which waits for no reader and
/// no writer: commits go on while it copies and syncs.
final class Checkpointer: Sendable {
    private struct State {
        var pending = false
        var stopping = false
    }

    let threshold: Int
    private let state = Locked(State())
    private let wakeUp = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)

    init(path: String, configuration: Configuration, threshold: Int) throws {
        self.threshold = threshold
        let handoff = ConnectionHandoff(try Connection(path: path, configuration: configuration))
        let thread = Thread { [self] in run(handoff.connection) }
        thread.name = "entente-checkpointer"
        thread.start()
    }

    /// The writer's WAL hook: `frames` is the WAL's size after a commit.
    func walGrew(to frames: Int) {
        guard frames >= threshold else { return }
        let wakes = state.withLock { state in
            guard !state.pending, !state.stopping else { return false }
            state.pending = true
            return true
        }
        if wakes { wakeUp.signal() }
    }

    /// Lets a checkpoint in progress finish, then closes the connection and ends the thread. Idempotent.
    func stop() {
        let first = state.withLock { state in
            defer { state.stopping = true }
            return !state.stopping
        }
        guard first else { return }
        wakeUp.signal()
        stopped.wait()
    }

    private func run(_ connection: Connection) {
        while true {
            wakeUp.wait()
            let stopping = state.withLock { state in
                state.pending = false
                return state.stopping
            }
            if stopping { break }
            // A failure (a full disk, say) leaves the WAL as it is: the next commit past the threshold tries again.
            try? connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        }
        connection.close()
        stopped.signal()
    }
}

/// Carries the checkpointer's connection to its thread. `@unchecked Sendable`
/// because `Connection` is not: it is created before the thread starts and
/// touched by that thread only from then on.
private final class ConnectionHandoff: @unchecked Sendable {
    let connection: Connection

    init(_ connection: Connection) {
        self.connection = connection
    }
}
