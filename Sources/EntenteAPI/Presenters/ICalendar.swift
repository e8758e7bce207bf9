import Registry

/// RFC 5545 iCalendar for meetings: one `VEVENT` per meeting, lines ended by
/// CRLF and folded at 75 octets, text values escaped.
enum ICalendar {
    static let mediaType = "text/calendar"

    /// A `VCALENDAR` holding `meetings`, in their order.
    static func calendar(_ meetings: [Meeting]) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Entente//Meetings//EN", "CALSCALE:GREGORIAN"]
        for meeting in meetings { lines += event(meeting) }
        lines.append("END:VCALENDAR")
        return lines.map(folded).joined()
    }

    /// The content lines of one meeting, unfolded.
    static func event(_ meeting: Meeting) -> [String] {
        var lines = [
            "BEGIN:VEVENT",
            // Stable per meeting: a calendar that imports the feed again updates the event.
            "UID:\(meeting.id)@entente",
            "DTSTAMP:\(dateTime(meeting.updatedAt))",
            "DTSTART:\(dateTime(meeting.details.startsAt))",
        ]
        if let endsAt = meeting.details.endsAt { lines.append("DTEND:\(dateTime(endsAt))") }
        lines.append("SUMMARY:\(text(meeting.details.title))")
        if let location = meeting.details.location { lines.append("LOCATION:\(text(location))") }
        if let url = meeting.details.onlineURL { lines.append("URL:\(url)") }
        if !meeting.agenda.isEmpty {
            lines.append("DESCRIPTION:" + text(meeting.agenda.map { "\($0.number). \($0.title)" }.joined(separator: "\n")))
        }
        lines += [
            "STATUS:\(meeting.status == .cancelled ? "CANCELLED" : "CONFIRMED")",
            "SEQUENCE:\(meeting.version - 1)",
            "CREATED:\(dateTime(meeting.createdAt))",
            "LAST-MODIFIED:\(dateTime(meeting.updatedAt))",
            "END:VEVENT",
        ]
        return lines
    }

    /// `2026-11-27T10:15:00Z` as the UTC form `20261127T101500Z`.
    static func dateTime(_ instant: String) -> String {
        String(instant.filter { $0 != "-" && $0 != ":" })
    }

    /// A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma
    /// escaped, line breaks as `\n`.
    static func text(_ value: String) -> String {
        var escaped = ""
        var previousWasCR = false
        for scalar in value.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\\": escaped += "\\\\"
            case ";": escaped += "\\;"
            case ",": escaped += "\\,"
            case "\r": escaped += "\\n"
            case "\n": if !previousWasCR { escaped += "\\n" }
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// A content line folded so that no line exceeds 75 octets (RFC 5545
    /// §3.1): a break is CRLF then a space, never inside a UTF-8 sequence.
    static func folded(_ line: String) -> String {
        var output = ""
        var octets = 0
        for character in line.unicodeScalars {
            let width = String(character).utf8.count
            if octets + width > 75 {
                output += "\r\n "
                octets = 1
            }
            output.unicodeScalars.append(character)
            octets += width
        }
        return output + "\r\n"
    }
}
