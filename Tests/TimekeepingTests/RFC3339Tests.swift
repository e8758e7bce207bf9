import Testing
import Timekeeping

/// RFC 3339 text written digit by digit, against known instants.
@Suite("RFC 3339")
struct RFC3339Tests {
    struct Case: Sendable, CustomStringConvertible {
        let epochSeconds: Int
        let milliseconds: Int?
        let timestamp: String
        let date: String
        var description: String { timestamp }
    }

    static let cases: [Case] = [
        Case(epochSeconds: 0, milliseconds: nil, timestamp: "1970-01-01T00:00:00Z", date: "1970-01-01"),
        Case(epochSeconds: 0, milliseconds: 7, timestamp: "1970-01-01T00:00:00.007Z", date: "1970-01-01"),
        Case(epochSeconds: 1_795_774_500, milliseconds: nil, timestamp: "2026-11-27T10:15:00Z", date: "2026-11-27"),
        Case(epochSeconds: 1_795_774_500, milliseconds: 999, timestamp: "2026-11-27T10:15:00.999Z", date: "2026-11-27"),
        Case(epochSeconds: 951_825_599, milliseconds: 120, timestamp: "2000-02-29T11:59:59.120Z", date: "2000-02-29"),
        Case(epochSeconds: 253_402_300_799, milliseconds: nil, timestamp: "9999-12-31T23:59:59Z", date: "9999-12-31"),
        // Outside four digits the year is written whole.
        Case(epochSeconds: 253_402_300_800, milliseconds: nil, timestamp: "10000-01-01T00:00:00Z", date: "10000-01-01"),
        Case(epochSeconds: -62_135_596_800, milliseconds: 5, timestamp: "0001-01-01T00:00:00.005Z", date: "0001-01-01"),
    ]

    @Test(arguments: cases)
    func formats(_ example: Case) {
        let time = UTCTime(epochSeconds: example.epochSeconds)
        #expect(RFC3339.timestamp(time, milliseconds: example.milliseconds) == example.timestamp)
        #expect(RFC3339.date(time) == example.date)
    }

    @Test func everySecondOfADayMatchesThePaddedForm() {
        for seconds in stride(from: 1_795_737_600, to: 1_795_737_600 + 86_400, by: 37) {
            let time = UTCTime(epochSeconds: seconds)
            let padded = "\(UTCTime.padded(time.year, 4))-\(UTCTime.padded(time.month))-\(UTCTime.padded(time.day))T"
                + "\(UTCTime.padded(time.hour)):\(UTCTime.padded(time.minute)):\(UTCTime.padded(time.second))Z"
            #expect(RFC3339.timestamp(time) == padded)
        }
    }
}
