import Registry
import XCTest

final class CursorTests: XCTestCase {
    func testEncodeDecodeRoundTrip() {
        let values: [Int64] = [0, 1, 9, 10, 15, 16, 255, 4096, 1 << 31, 1 << 40, Int64.max - 1, Int64.max]
        for value in values {
            let cursor = Cursor.encode(value)
            XCTAssertTrue(cursor.hasPrefix("c"), cursor)
            XCTAssertEqual(Cursor.decode(cursor), value, "round trip of \(value) through \(cursor)")
        }
        XCTAssertEqual(Cursor.encode(255), "cff")
        XCTAssertEqual(Cursor.encode(0), "c0")
        XCTAssertEqual(Set(values.map(Cursor.encode)).count, values.count, "distinct values give distinct cursors")
    }

    func testRejectsMalformedCursors() {
        let rejected: [String] = [
            "", "c", "x12", "12", "cZZ", "c-1", "c+1", "c 1", " c1", "c1 ", "C1", "cFF", "c0x1", "cg",
            "c" + String(repeating: "f", count: 40),           // very long
            "c" + String(repeating: "0", count: 17),           // 18 characters
            "c8000000000000000",                               // Int64.max + 1
            "cffffffffffffffff",                               // would be -1 as a bit pattern
            "c１",                                              // a full-width digit
        ]
        for text in rejected {
            XCTAssertNil(Cursor.decode(text), "\(text.debugDescription) should be rejected")
        }
    }
}

final class CalendarDateTests: XCTestCase {
    func testIsValid() {
        let table: [(String, Bool)] = [
            ("2024-02-29", true), ("2023-02-29", false), ("2000-02-29", true), ("1900-02-29", false),
            ("2026-13-01", false), ("2026-00-10", false), ("2026-1-01", false), ("2026-01-1", false),
            ("2026-04-30", true), ("2026-04-31", false), ("2026-12-31", true), ("2026-01-00", false), ("2026-01-32", false),
            ("2026-11-27", true), ("", false), ("2026/11/27", false), ("20261127", false), ("2026-11-27T10:00:00Z", false),
            (" 2026-11-27", false), ("2026-11-2a", false), ("+026-11-27", false), ("2026-11-27 ", false),
        ]
        for (text, valid) in table {
            XCTAssertEqual(CalendarDate.isValid(text), valid, "isValid(\(text.debugDescription))")
        }
    }

    func testNormalizedInstant() {
        let accepted: [(String, String)] = [
            ("2026-11-27T10:15:00Z", "2026-11-27T10:15:00Z"),
            ("2026-11-27T11:15:00+01:00", "2026-11-27T10:15:00Z"),
            ("2026-11-27T08:45:00-01:30", "2026-11-27T10:15:00Z"),
            ("2026-11-27T10:15:00+00:00", "2026-11-27T10:15:00Z"),
            ("2026-11-27T10:15:00-00:00", "2026-11-27T10:15:00Z"),
            ("2026-11-27T10:15:00.123Z", "2026-11-27T10:15:00Z"),
            ("2026-11-27T10:15:00.999999999Z", "2026-11-27T10:15:00Z"),
            ("2026-11-27T12:15:00.5+02:00", "2026-11-27T10:15:00Z"),
            ("2026-11-27t10:15:00z", "2026-11-27T10:15:00Z"),
            ("2026-11-27T00:30:00+01:00", "2026-11-26T23:30:00Z"),   // previous day
            ("2026-12-31T23:30:00-01:00", "2027-01-01T00:30:00Z"),   // next year
            ("2024-03-01T00:00:00+00:01", "2024-02-29T23:59:00Z"),   // into a leap day
        ]
        for (text, expected) in accepted {
            XCTAssertEqual(CalendarDate.normalizedInstant(text), expected, "normalizedInstant(\(text.debugDescription))")
        }
        let rejected = [
            "", "2026-11-27", "2026-11-27T10:15:00", "2026-11-27T10:15Z", "2026-11-27T10:15:00ZZ", "2026-11-27T10:15:00 Z",
            "2026-11-27T24:00:00Z", "2026-11-27T10:60:00Z", "2026-02-30T10:00:00Z", "2026-13-27T10:15:00Z",
            "2026-11-27T10:15:00.Z", "2026-11-27T10:15:00.", "2026-11-27T10:15:00.5", "2026-11-27T10:15:00+0100",
            "2026-11-27T10:15:00+01", "2026-11-27T10:15:00+01:00x", "2026-11-27T10:15:00+24:00", "2026-11-27T10:15:00+01:60",
            "2026-11-27X10:15:00Z", "2026-11-27T1a:15:00Z", "2026-11-27T10-15-00Z", "2026-11-27T10:15:00UTC",
        ]
        for text in rejected {
            XCTAssertNil(CalendarDate.normalizedInstant(text), "\(text.debugDescription) should be rejected")
        }
    }

    func testDayNumber() {
        XCTAssertEqual(CalendarDate.dayNumber("1970-01-01"), 0)
        XCTAssertEqual(CalendarDate.dayNumber("1970-01-02"), 1)
        XCTAssertEqual(CalendarDate.dayNumber("2000-03-01"), 11_017)
        XCTAssertNil(CalendarDate.dayNumber("2023-02-29"))
        // Consistent with Instant's calendar for many days around leap years.
        for day in stride(from: 10_950, to: 22_000, by: 37) {
            let instant = Instant(epochSeconds: day * 86_400 + 43_200)
            XCTAssertEqual(CalendarDate.dayNumber(instant.date), day, instant.date)
        }
    }
}
