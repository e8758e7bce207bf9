import Foundation
import Locks
import XCTest

final class LockedTests: XCTestCase {
    /// Threads that each add to a shared value lose no update.
    func testConcurrentUpdatesAreNotLost() {
        let counter = Locked(0)
        let group = DispatchGroup()
        for _ in 0..<4 {
            group.enter()
            Thread {
                for _ in 0..<10_000 { counter.withLock { $0 += 1 } }
                group.leave()
            }.start()
        }
        group.wait()
        XCTAssertEqual(counter.withLock { $0 }, 40_000)
    }

    func testErrorsThrownInsideReleaseTheLock() {
        struct Refused: Error {}
        let value = Locked([1])
        XCTAssertThrowsError(try value.withLock { (_: inout [Int]) throws(Refused) in throw Refused() })
        XCTAssertEqual(value.withLock { $0.count }, 1, "the lock was released")
    }
}
