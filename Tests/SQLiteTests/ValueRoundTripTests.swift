import Foundation
import SQLite
import XCTest

final class ValueRoundTripTests: XCTestCase {
    /// Each bindable value, what it must read back as, and SQLite's `typeof` for it.
    private let cases: [(label: String, input: any SQLiteBindable, expected: SQLiteValue, type: String)] = [
        ("Int64.min", Int64.min, .integer(Int64.min), "integer"),
        ("Int64.max", Int64.max, .integer(Int64.max), "integer"),
        ("Int", -42, .integer(-42), "integer"),
        ("Int32.min", Int32.min, .integer(Int64(Int32.min)), "integer"),
        ("negative fractional Double", -1234.5678, .real(-1234.5678), "real"),
        ("small fractional Double", 0.1, .real(0.1), "real"),
        ("smallest subnormal Double", Double.leastNonzeroMagnitude, .real(Double.leastNonzeroMagnitude), "real"),
        ("largest Double", Double.greatestFiniteMagnitude, .real(Double.greatestFiniteMagnitude), "real"),
        ("unicode String", "Grüße, 世界 🎭", .text("Grüße, 世界 🎭"), "text"),
        ("String with embedded NUL", "before\u{0}after", .text("before\u{0}after"), "text"),
        ("empty String", "", .text(""), "text"),
        ("blob with zero bytes", [UInt8]([0, 1, 0, 255, 0]), .blob([0, 1, 0, 255, 0]), "blob"),
        ("empty blob", [UInt8](), .blob([]), "blob"),
        ("Data", Data([0, 0, 7]), .blob([0, 0, 7]), "blob"),
        ("true", true, .integer(1), "integer"),
        ("false", false, .integer(0), "integer"),
        ("Optional nil", Int?.none, .null, "null"),
        ("Optional value", String?.some("present"), .text("present"), "text"),
        ("SQLiteValue.null", SQLiteValue.null, .null, "null"),
        ("SQLiteValue.blob", SQLiteValue.blob([9]), .blob([9]), "blob"),
    ]

    func testEveryValueRoundTrips() throws {
        let db = try makeConnection()
        // No declared type: no column affinity, so each value is stored exactly as bound.
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v)")
        for (index, testCase) in cases.enumerated() {
            try db.run("INSERT INTO t (id, v) VALUES (?, ?)", [index, testCase.input])
        }
        for (index, testCase) in cases.enumerated() {
            let row = try XCTUnwrap(try db.queryOne("SELECT v, typeof(v) AS type FROM t WHERE id = ?", [index]), testCase.label)
            XCTAssertEqual(row["v"], testCase.expected, testCase.label)
            XCTAssertEqual(row.string("type"), testCase.type, testCase.label)
        }
    }

    func testEmbeddedNULIsStoredInFull() throws {
        let db = try makeConnection()
        let row = try XCTUnwrap(try db.queryOne("SELECT length(CAST(? AS BLOB)) AS n", ["a\u{0}bc"]))
        XCTAssertEqual(row.int("n"), 4)
    }

    func testTypedAccessors() throws {
        let db = try makeConnection()
        let row = try XCTUnwrap(try db.queryOne(
            "SELECT 7 AS i, 2.5 AS r, 'hi' AS s, x'00ff' AS b, 1 AS yes, 0 AS no, NULL AS absent"))
        XCTAssertEqual(row.columnNames, ["i", "r", "s", "b", "yes", "no", "absent"])
        XCTAssertEqual(row.int("i"), 7)
        XCTAssertEqual(row.double("i"), 7.0, "double reads integers too")
        XCTAssertEqual(row.double("r"), 2.5)
        XCTAssertNil(row.int("r"), "int does not truncate reals")
        XCTAssertEqual(row.string("s"), "hi")
        XCTAssertNil(row.string("i"))
        XCTAssertEqual(row.bytes("b"), [0x00, 0xFF])
        XCTAssertEqual(row.bool("yes"), true)
        XCTAssertEqual(row.bool("no"), false)
        XCTAssertNil(row.int("absent"))
        XCTAssertEqual(row["absent"], .null)
        XCTAssertEqual(row["no_such_column"], .null)
        XCTAssertNil(row.string("no_such_column"))
        XCTAssertEqual(row["S"], .text("hi"), "names are matched regardless of case")
        XCTAssertEqual(row[2], .text("hi"))
    }
}
