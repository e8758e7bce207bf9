/// Turns a response into the bytes of an HTTP/1.1 message, adding the headers
/// the server owns: `Content-Length`, `Date`, `X-Request-Id`, `Connection`.
enum ResponseSerializer {
    static func serialize(_ response: HTTPResponse, requestID: String, keepAlive: Bool, headOnly: Bool, http10KeepAlive: Bool = false) -> [UInt8] {
        let bodyAllowed = !HTTPStatus.forbidsBody(response.status)
        let sendsBody = bodyAllowed && !headOnly
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 + (sendsBody ? response.body.count : 0))
        bytes.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(response.status, to: &bytes)
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: HTTPStatus.reason(response.status).utf8)
        bytes.append(contentsOf: crlf)
        for (name, value) in response.headers where !isServerOwned(name) {
            // A value with CR or LF would split the message: never sent.
            guard !value.utf8.contains(where: { $0 == CR || $0 == LF }) else { continue }
            appendField(name, value, to: &bytes)
        }
        if bodyAllowed {
            bytes.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(response.body.count, to: &bytes)
            bytes.append(contentsOf: crlf)
        }
        appendField("Date", HTTPDate.shared.current(), to: &bytes)
        appendField("X-Request-Id", requestID, to: &bytes)
        if !keepAlive {
            appendField("Connection", "close", to: &bytes)
        } else if http10KeepAlive {
            appendField("Connection", "keep-alive", to: &bytes)
        }
        bytes.append(contentsOf: crlf)
        if sendsBody {
            bytes.append(contentsOf: response.body)
        }
        return bytes
    }

    private static let crlf: [UInt8] = [CR, LF]

    private static func appendField(_ name: String, _ value: String, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: name.utf8)
        bytes.append(contentsOf: ": ".utf8)
        bytes.append(contentsOf: value.utf8)
        bytes.append(contentsOf: crlf)
    }

    private static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        guard value >= 10 else { return bytes.append(UInt8(ascii: "0") + UInt8(value)) }
        appendDecimal(value / 10, to: &bytes)
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    private static func isServerOwned(_ name: String) -> Bool {
        name.equalsIgnoringASCIICase("Content-Length") || name.equalsIgnoringASCIICase("Date")
            || name.equalsIgnoringASCIICase("X-Request-Id") || name.equalsIgnoringASCIICase("Connection")
            || name.equalsIgnoringASCIICase("Transfer-Encoding")
    }
}
