import Foundation
import Logging
import Testing

@Suite("JSON log lines")
struct JSONLineLogTests {
    @Test(arguments: [
        (0.0, "0.000"), (0.000_000_4, "0.000"), (0.000_000_5, "0.001"), (0.012_345_6, "12.346"),
        (1.5, "1500.000"), (-1.0, "0.000"), (Double.nan, "0.000"), (3_600.0, "3600000.000"),
    ])
    func millisecondsHaveThreeDecimals(seconds: Double, text: String) throws {
        let line = JSONLineLog().line("m", [("duration_ms", Milliseconds(seconds: seconds))])
        let json = String(decoding: line, as: UTF8.self)
        #expect(json.hasSuffix(",\"duration_ms\":\(text)}\n"), "\(json)")
    }

    @Test func aLineIsOneJSONObjectWithTheTimeFirst() throws {
        let line = JSONLineLog().line(level: "warn", "said \"hi\"", [("n", 3), ("ok", true), ("none", nil), ("x", 0.5), ("s", "a\nb")])
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(line.dropLast().contains(UInt8(ascii: "\n")) == false)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
        #expect(object["level"] as? String == "warn")
        #expect(object["msg"] as? String == "said \"hi\"")
        #expect(object["n"] as? Int == 3)
        #expect(object["ok"] as? Bool == true)
        #expect(object["none"] is NSNull)
        #expect(object["x"] as? Double == 0.5)
        #expect(object["s"] as? String == "a\nb")
        let time = try #require(object["time"] as? String)
        #expect(time.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#, options: .regularExpression) != nil, "\(time)")
        #expect(String(decoding: line, as: UTF8.self).hasPrefix("{\"time\":\""))
    }
}
