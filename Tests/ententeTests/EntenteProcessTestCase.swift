import Foundation
import XCTest

/// Fails a test that created or removed a file in the directory `swift test`
/// runs in (the repository root for a developer): a newcomer who runs the
/// tests first must not find an `./entente.sqlite` they made.
class WorkingDirectoryCheckedTestCase: XCTestCase {
    private var before: Set<String> = []

    private static func names() -> Set<String> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: FileManager.default.currentDirectoryPath)) ?? []
        // SwiftPM's own build folders change while tests run.
        return Set(names.filter { !$0.hasPrefix(".build") })
    }

    override func setUp() {
        super.setUp()
        before = Self.names()
    }

    override func tearDown() {
        let after = Self.names()
        XCTAssertEqual(after.subtracting(before).sorted(), [], "the test created files in the working directory")
        XCTAssertEqual(before.subtracting(after).sorted(), [], "the test removed files from the working directory")
        super.tearDown()
    }
}

/// A test of the executable: a fresh working directory for its child
/// processes (`entente`), removed afterwards, and the working-directory check.
class EntenteProcessTestCase: WorkingDirectoryCheckedTestCase {
    var entente: EntenteProcess!

    override func setUpWithError() throws {
        entente = try EntenteProcess.make()
    }

    override func tearDown() {
        entente?.remove()
        super.tearDown()
    }
}
