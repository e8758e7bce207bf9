/// Turns a response into the bytes of an HTTP/1.1 message, adding the headers
/// the server owns: `Content-Length`, `Date`, `X-Request-Id`, `Connection`.
enum ResponseSerializer {
    static func serialize(_ response: HTTPResponse, requestID: String, keepAlive: Bool, headOnly: Bool, http10KeepAlive: Bool = false) -> [UInt8] {
        var head = "HTTP/1.1 \(response.status) \(HTTPStatus.reason(response.status))\r\n"
        for (name, value) in response.headers where !isServerOwned(name) {
            // A value with CR or LF would split the message: never sent.
            guard !value.utf8.contains(where: { $0 == CR || $0 == LF }) else { continue }
            head += name + ": " + value + "\r\n"
        }
        let bodyAllowed = !HTTPStatus.forbidsBody(response.status)
        if bodyAllowed {
            head += "Content-Length: \(response.body.count)\r\n"
        }
        head += "Date: " + HTTPDate.shared.current() + "\r\n"
        head += "X-Request-Id: " + requestID + "\r\n"
        if !keepAlive {
            head += "Connection: close\r\n"
        } else if http10KeepAlive {
            head += "Connection: keep-alive\r\n"
        }
        head += "\r\n"
        var bytes = Array(head.utf8)
        if bodyAllowed && !headOnly {
            bytes.append(contentsOf: response.body)
        }
        return bytes
    }

    private static func isServerOwned(_ name: String) -> Bool {
        name.equalsIgnoringASCIICase("Content-Length") || name.equalsIgnoringASCIICase("Date")
            || name.equalsIgnoringASCIICase("X-Request-Id") || name.equalsIgnoringASCIICase("Connection")
            || name.equalsIgnoringASCIICase("Transfer-Encoding")
    }
}
