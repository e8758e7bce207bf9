import Foundation
import XCTest
import JSON

/// Meetings as RFC 5545 iCalendar (`Accept: text/calendar`, API.md §13):
/// checked line by line here, and parsed by Python's `icalendar` library, as
/// a calendar client would. `.ci/run` installs that library and sets
/// `ENTENTE_REQUIRE_ICALENDAR`, so CI fails rather than skips without it.
final class CalendarTests: XCTestCase {
    private static let calendar = [("Accept", "text/calendar")]

    func testOneMeeting() throws {
        let world = try MeetingWorld()
        let longTitle = "Comité de pilotage n°3 ; budget, programmation\\saison — "
            + String(repeating: "réunion très longue des partenaires culturels ", count: 3) + "(fin)"
        let id = try world.meeting(startsAt: "2030-03-10T14:00:00Z", body: [
            "title": .string(longTitle), "ends_at": "2030-03-10T16:30:00Z", "location": "Musée A, salle 2, Lyon",
            "online_url": "https://visio.example.org/copil", "agenda": [["title": "Ouverture"], ["title": "Budget, vote"]],
        ])
        XCTAssertEqual(try world.api.patch("/v1/meetings/\(id)", ["location": "Musée A, salle 2, Lyon"]).status, 200, "version 2")
        let response = try world.api.get("/v1/meetings/\(id)", headers: Self.calendar)
        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertEqual(response.header("Content-Type"), "text/calendar; charset=utf-8")
        XCTAssertEqual(response.header("ETag"), "\"2\"")
        XCTAssertEqual(try world.api.get("/v1/meetings/\(id)", headers: Self.calendar + [("If-None-Match", "\"2\"")]).status, 304)

        let text = response.text
        XCTAssertTrue(text.hasSuffix("\r\n"))
        let physical = text.dropLast(2).components(separatedBy: "\r\n")
        XCTAssertFalse(physical.contains { $0.contains("\n") || $0.contains("\r") }, "every line ends with CRLF")
        for line in physical { XCTAssertLessThanOrEqual(line.utf8.count, 75, "folded at 75 octets: \(line)") }
        XCTAssertTrue(physical.contains { $0.hasPrefix(" ") }, "the long summary is folded")
        let lines = Self.unfolded(text)
        XCTAssertEqual(lines.first, "BEGIN:VCALENDAR")
        XCTAssertEqual(lines.last, "END:VCALENDAR")
        XCTAssertTrue(lines.contains("VERSION:2.0"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("PRODID:") })
        XCTAssertEqual(lines.filter { $0 == "BEGIN:VEVENT" }.count, 1)
        XCTAssertTrue(lines.contains("UID:\(id)@entente"))
        XCTAssertTrue(lines.contains("DTSTART:20300310T140000Z"))
        XCTAssertTrue(lines.contains("DTEND:20300310T163000Z"))
        XCTAssertTrue(lines.contains("SUMMARY:Comité de pilotage n°3 \\; budget\\, programmation\\\\saison — "
            + String(repeating: "réunion très longue des partenaires culturels ", count: 3) + "(fin)"))
        XCTAssertTrue(lines.contains("LOCATION:Musée A\\, salle 2\\, Lyon"))
        XCTAssertTrue(lines.contains("DESCRIPTION:1. Ouverture\\n2. Budget\\, vote"))
        XCTAssertTrue(lines.contains("STATUS:CONFIRMED"))
        XCTAssertTrue(lines.contains("SEQUENCE:1"), "version − 1")
        XCTAssertTrue(lines.contains("DTSTAMP:20300301T090000Z"))

        let parsed = try Self.parsedByICalendar(response.body)
        XCTAssertEqual(parsed.count, 1)
        XCTAssertEqual(parsed.first?["uid"], .string("\(id)@entente"))
        XCTAssertEqual(parsed.first?["summary"], .string(longTitle))
        XCTAssertEqual(parsed.first?["location"], "Musée A, salle 2, Lyon")
        XCTAssertEqual(parsed.first?["start"], "2030-03-10T14:00:00+00:00")
        XCTAssertEqual(parsed.first?["end"], "2030-03-10T16:30:00+00:00")
        XCTAssertEqual(parsed.first?["status"], "CONFIRMED")
        XCTAssertEqual(parsed.first?["sequence"], 1)

        // Cancelled: same UID, a later SEQUENCE, STATUS:CANCELLED.
        XCTAssertEqual(try world.api.post("/v1/meetings/\(id)/cancel").status, 200)
        let cancelled = try Self.parsedByICalendar(try world.api.get("/v1/meetings/\(id)", headers: Self.calendar).body)
        XCTAssertEqual(cancelled.first?["uid"], .string("\(id)@entente"))
        XCTAssertEqual(cancelled.first?["status"], "CANCELLED")
        XCTAssertEqual(cancelled.first?["sequence"], 2)
    }

    func testLists() throws {
        let world = try MeetingWorld()
        let first = try world.meeting(startsAt: "2030-03-10T14:00:00Z")
        let second = try world.meeting(startsAt: "2030-04-10T14:00:00Z", body: ["location": "Ville C"])
        XCTAssertEqual(try world.api.post("/v1/meetings/\(second)/cancel").status, 200)
        for path in ["/v1/conventions/\(world.convention)/meetings", "/v1/meetings"] {
            let response = try world.api.get(path, headers: Self.calendar)
            XCTAssertEqual(response.status, 200, response.text)
            XCTAssertEqual(response.header("Content-Type"), "text/calendar; charset=utf-8")
            let events = try Self.parsedByICalendar(response.body)
            XCTAssertEqual(events.map { $0["uid"] }, [.string("\(first)@entente"), .string("\(second)@entente")], path)
            XCTAssertEqual(events.map { $0["status"] }, ["CONFIRMED", "CANCELLED"], path)
            XCTAssertEqual(events.map { $0["end"] }, [.null, .null], "no ends_at, no DTEND")
        }
        // A page names the next one.
        let page = try world.api.get("/v1/meetings?limit=1&from=2030-01-01T00:00:00Z", headers: Self.calendar)
        XCTAssertEqual(try Self.parsedByICalendar(page.body).count, 1)
        let link = try XCTUnwrap(page.header("Link"))
        XCTAssertTrue(link.hasPrefix("</v1/meetings?limit=1&from=2030-01-01T00:00:00Z&cursor="), link)
        XCTAssertTrue(link.hasSuffix(">; rel=\"next\""), link)
        let next = String(link.dropFirst().prefix { $0 != ">" })
        let nextPage = try Self.parsedByICalendar(try world.api.get(next, headers: Self.calendar).body)
        XCTAssertEqual(nextPage.map { $0["uid"] }, [.string("\(second)@entente")], "the link leads to the next page")
        // JSON stays the default, and wins when preferred.
        XCTAssertEqual(try world.api.get("/v1/meetings").header("Content-Type"), "application/json; charset=utf-8")
        XCTAssertEqual(try world.api.get("/v1/meetings", headers: [("Accept", "application/json, text/calendar")]).header("Content-Type"),
                       "application/json; charset=utf-8")
        let empty = try world.api.get("/v1/meetings?status=held", headers: Self.calendar)
        XCTAssertEqual(try Self.parsedByICalendar(empty.body).count, 0)
    }

    /// The content lines with folding undone (RFC 5545 §3.1).
    private static func unfolded(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    /// Each VEVENT as Python's `icalendar` reads it: uid, summary, location,
    /// start, end (ISO 8601), status and sequence.
    private static func parsedByICalendar(_ body: [UInt8]) throws -> [JSON] {
        let probe = try? Subprocess.run("python3", ["-c", "import icalendar"])
        if probe == nil {
            if ProcessInfo.processInfo.environment["ENTENTE_REQUIRE_ICALENDAR"] != nil {
                throw TestFailure("Python's icalendar library is required: python3 -m pip install icalendar")
            }
            throw XCTSkip("Python's icalendar library is not installed (python3 -m pip install icalendar)")
        }
        let script = """
            import icalendar, json, sys
            calendar = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
            def value(event, name, convert):
                return convert(event[name]) if name in event else None
            events = [{
                "uid": str(event["UID"]), "summary": value(event, "SUMMARY", str), "location": value(event, "LOCATION", str),
                "start": event.decoded("DTSTART").isoformat(), "end": event.decoded("DTEND").isoformat() if "DTEND" in event else None,
                "status": str(event["STATUS"]), "sequence": int(event["SEQUENCE"]),
            } for event in calendar.walk("VEVENT")]
            print(json.dumps(events))
            """
        let output = try Subprocess.run("python3", ["-c", script], input: body)
        return try XCTUnwrap(try JSON.parse(output).arrayValue)
    }
}
