/// An incremental HTTP/1.1 request parser (RFC 9112).
///
/// Bytes go in with `append`, whole requests come out of `next()`, one at a
/// time, so a pipelining client is answered in order. The parser is strict:
/// every framing ambiguity that could let two parties disagree on where a
/// request ends (request smuggling) is an error, and every size is bounded.
public struct RequestParser: Sendable {
    /// The bounds the parser enforces.
    public struct Limits: Sendable {
        /// Request line plus header fields, including their line endings (431 beyond).
        public var maxHeadBytes: Int
        /// The decoded body (413 beyond).
        public var maxBodyBytes: Int

        public init(maxHeadBytes: Int = 16 * 1024, maxBodyBytes: Int = 1024 * 1024) {
            self.maxHeadBytes = maxHeadBytes
            self.maxBodyBytes = maxBodyBytes
        }
    }

    /// What the buffered bytes amount to so far.
    public enum Event: Sendable {
        /// A whole request.
        case request(HTTPRequest)
        /// The head asked `Expect: 100-continue` and its body has not started:
        /// send `100 Continue`, then keep calling `next()`.
        case continueExpected
        /// More bytes are needed.
        case needMoreData
    }

    private enum State: Sendable {
        case head(scanned: Int)
        case body(HTTPRequest, remaining: Int)
        case chunkSize(HTTPRequest)
        case chunkData(HTTPRequest, remaining: Int)
        case chunkDataEnd(HTTPRequest)
        case trailers(HTTPRequest, size: Int)
    }

    public let limits: Limits
    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var state: State = .head(scanned: 0)
    /// The body read so far, kept apart from `state` so that appending to it
    /// never copies it (an enum payload mutated in place would be copied).
    private var body: [UInt8] = []
    /// Bytes of the current request consumed so far, framing included: bounded
    /// so that blank lines, chunk extensions or trailers cannot grow without end.
    private var consumed = 0
    private var continueSent = false

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Bytes received but not yet consumed by a complete request.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Whether the head is read and the body is on its way.
    public var isReadingBody: Bool {
        if case .head = state { return false }
        return true
    }

    /// Whether a request has started arriving (for the head-read timeout).
    public var isMidRequest: Bool {
        if case .head = state { return bufferedByteCount > 0 || consumed > 0 }
        return true
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    /// Head, body and framing together may not exceed this (413 beyond).
    private var maxWireBytes: Int { limits.maxHeadBytes + 2 * limits.maxBodyBytes + 1024 }

    /// Parses as far as the buffered bytes allow.
    public mutating func next() throws(HTTPParseError) -> Event {
        defer { compact() }
        while true {
            switch state {
            case .head(let scanned):
                guard let request = try parseHead(scanned: scanned) else { return .needMoreData }
                if let event = try startBody(of: request) { return event }

            case .body(let request, let remaining):
                let available = bufferedByteCount
                if available == 0, remaining > 0, expectsContinue(request) { return continueOnce() }
                let take = min(available, remaining)
                body.append(contentsOf: buffer[readIndex..<readIndex + take])
                try consume(take)
                if take == remaining { return finish(request) }
                state = .body(request, remaining: remaining - take)
                return .needMoreData

            case .chunkSize(let request):
                if bufferedByteCount == 0, body.isEmpty, expectsContinue(request) { return continueOnce() }
                guard let line = try takeLine(maxLength: 1024, what: "chunk size line") else { return .needMoreData }
                let size = try Self.chunkSize(line)
                if size == 0 {
                    state = .trailers(request, size: 0)
                } else {
                    // Compared as a subtraction: `body.count + size` could overflow.
                    guard size <= limits.maxBodyBytes - body.count else { throw .bodyTooLarge }
                    state = .chunkData(request, remaining: size)
                }

            case .chunkData(let request, let remaining):
                let take = min(bufferedByteCount, remaining)
                guard take > 0 else { return .needMoreData }
                body.append(contentsOf: buffer[readIndex..<readIndex + take])
                try consume(take)
                state = take == remaining ? .chunkDataEnd(request) : .chunkData(request, remaining: remaining - take)

            case .chunkDataEnd(let request):
                guard bufferedByteCount >= 2 else { return .needMoreData }
                guard buffer[readIndex] == CR, buffer[readIndex + 1] == LF else {
                    throw HTTPParseError(.chunkDataWithoutCRLF, "Chunk data does not end in CRLF.")
                }
                try consume(2)
                state = .chunkSize(request)

            case .trailers(let request, let size):
                guard let line = try takeLine(maxLength: limits.maxHeadBytes, what: "trailer field") else { return .needMoreData }
                if line.isEmpty { return finish(request) }
                guard size + line.count + 2 <= limits.maxHeadBytes else { throw .headTooLarge }
                _ = try Self.headerField(line)  // validated, then dropped: no trailer matters here
                state = .trailers(request, size: size + line.count + 2)
            }
        }
    }

    // MARK: - Head

    /// Finds the end of the head (an empty line) and parses it; nil until it is all here.
    private mutating func parseHead(scanned: Int) throws(HTTPParseError) -> HTTPRequest? {
        var start = readIndex
        var index = start + scanned
        var lineStart = start
        // Re-find the start of the line we stopped in.
        if scanned > 0, let lastLF = buffer[start..<index].lastIndex(of: LF) { lineStart = lastLF + 1 }
        var end: Int?
        while index < buffer.count {
            if buffer[index] == LF {
                guard index > start, buffer[index - 1] == CR else { throw HTTPParseError(.bareLineFeed, "A line ends in a bare LF.") }
                if index - 1 == lineStart {
                    guard lineStart == start else { end = index + 1; break }
                    // RFC 9112 §2.2: an empty line before the request line is ignored
                    // (but counted, so that endless blank lines still hit the limit).
                    try consume(index + 1 - readIndex)
                    start = readIndex
                }
                lineStart = index + 1
            }
            index += 1
            if index - start + consumed > limits.maxHeadBytes { throw .headTooLarge }
        }
        guard let end else {
            state = .head(scanned: index - start)
            return nil
        }
        let request = try Self.parseHeadLines(buffer[start..<end - 2])
        try consume(end - readIndex)
        return request
    }

    /// Parses a complete head (without its final empty line).
    private static func parseHeadLines(_ head: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPRequest {
        // Every line, the last one too, ends in CRLF here (checked while scanning).
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = head.startIndex
        for i in head.indices where head[i] == LF {
            lines.append(head[lineStart..<i - 1])  // without CR
            lineStart = i + 1
        }
        let (method, target, version) = try requestLine(lines[0])
        var headers = HTTPHeaders()
        for line in lines.dropFirst() {
            let field = try headerField(line)
            headers.add(field.name, field.value)
        }
        return HTTPRequest(method: method, target: target, version: version, headers: headers)
    }

    /// `METHOD SP request-target SP HTTP-version`, nothing more, nothing less.
    static func requestLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> (String, String, HTTPVersion) {
        let parts = line.split(separator: SP, omittingEmptySubsequences: false)
        guard parts.count == 3,
              !parts[0].isEmpty, parts[0].allSatisfy(isTokenByte),
              !parts[1].isEmpty, parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F }),
              parts[2].count == 8, parts[2].starts(with: Array("HTTP/".utf8)),
              let major = digit(parts[2][parts[2].startIndex + 5]),
              parts[2][parts[2].startIndex + 6] == UInt8(ascii: "."),
              let minor = digit(parts[2][parts[2].startIndex + 7])
        else {
            if line.contains(CR) { throw HTTPParseError(.bareCRInRequestLine, "The request line holds a bare CR.") }
            throw HTTPParseError(.malformedRequestLine, "The request line is not METHOD SP target SP HTTP/x.y.")
        }
        guard let target = originForm(parts[1]) else {
            throw HTTPParseError(.invalidTarget, "The request target is neither a path nor an absolute http(s) URL.")
        }
        let version: HTTPVersion
        switch (major, minor) {
        case (1, 1): version = .http1_1
        case (1, 0): version = .http1_0
        default: throw HTTPParseError(.unsupportedVersion, "Only HTTP/1.0 and HTTP/1.1 are served.")
        }
        return (String(decoding: parts[0], as: UTF8.self), target, version)
    }

    /// The target as a path (RFC 9112 §3.2): origin-form as is, absolute-form
    /// reduced to its path and query, `*` (asterisk-form) as is; nil otherwise.
    static func originForm(_ target: ArraySlice<UInt8>) -> String? {
        let text = String(decoding: target, as: UTF8.self)
        if text.hasPrefix("/") || text == "*" { return text }
        let lower = text.lowercased()
        guard let schemeEnd = lower.hasPrefix("http://") ? 7 : lower.hasPrefix("https://") ? 8 : nil else { return nil }
        let rest = text.dropFirst(schemeEnd)
        guard let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }), slash != rest.startIndex else {
            return rest.isEmpty ? nil : "/"
        }
        let path = rest[slash...]
        return path.hasPrefix("?") ? "/" + path : String(path)
    }

    /// `field-name ":" OWS field-value OWS`, with no whitespace before the colon,
    /// no obs-fold and no control characters.
    static func headerField(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> (name: String, value: String) {
        guard let first = line.first, first != SP, first != HTAB else {
            throw HTTPParseError(.obsoleteLineFolding, "Header lines may not be folded (obs-fold).")
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
            throw HTTPParseError(.headerWithoutColon, "A header line has no colon.")
        }
        let name = line[line.startIndex..<colon]
        guard !name.isEmpty else { throw HTTPParseError(.emptyHeaderName, "A header field has an empty name.") }
        guard name.allSatisfy(isTokenByte) else {
            if name.last == SP || name.last == HTAB { throw HTTPParseError(.whitespaceBeforeColon, "Whitespace between a header name and its colon.") }
            throw HTTPParseError(.invalidHeaderName, "A header name holds a character that is not allowed.")
        }
        var value = line[(colon + 1)...]
        while let c = value.first, c == SP || c == HTAB { value.removeFirst() }
        while let c = value.last, c == SP || c == HTAB { value.removeLast() }
        for byte in value where (byte < 0x20 && byte != HTAB) || byte == 0x7F {
            throw byte == CR ? HTTPParseError(.bareCRInHeaderValue, "A header value holds a bare CR.")
                : HTTPParseError(.controlCharacterInHeaderValue, "A header value holds a control character.")
        }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    // MARK: - Body framing

    /// Decides how the body is framed (RFC 9112 §6); returns an event when the
    /// request is already complete.
    private mutating func startBody(of request: HTTPRequest) throws(HTTPParseError) -> Event? {
        let transferEncodings = request.headers.values("Transfer-Encoding")
        let contentLengths = request.headers.values("Content-Length")
        if !transferEncodings.isEmpty {
            guard contentLengths.isEmpty else { throw HTTPParseError(.contentLengthWithTransferEncoding, "Both Content-Length and Transfer-Encoding are present.") }
            guard request.version == .http1_1 else { throw HTTPParseError(.transferEncodingInHTTP10, "Transfer-Encoding is not allowed in HTTP/1.0.") }
            let codings = transferEncodings.flatMap { $0.split(separator: ",") }.map { $0.trimmingOWS().lowercased() }
            guard codings.last == "chunked" else { throw HTTPParseError(.lastCodingNotChunked, "The last transfer coding is not chunked.") }
            guard codings.count == 1 else {
                if codings.dropLast().contains("chunked") { throw HTTPParseError(.chunkedTwice, "chunked may be applied only once.") }
                throw HTTPParseError(.unsupportedTransferCoding, "Only the chunked transfer coding is supported.")
            }
            state = .chunkSize(request)
            return nil
        }
        var length = 0
        if !contentLengths.isEmpty {
            var seen: Int?
            for element in contentLengths.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
                guard let value = Self.decimal(element.trimmingOWS()) else {
                    throw HTTPParseError(.invalidContentLength, "Content-Length is not a non-negative decimal integer.")
                }
                guard seen == nil || seen == value else { throw HTTPParseError(.conflictingContentLengths, "Several Content-Length values differ.") }
                seen = value
            }
            length = seen ?? 0
        }
        guard length <= limits.maxBodyBytes else { throw .bodyTooLarge }
        if length == 0 { return finish(request) }
        state = .body(request, remaining: length)
        return nil
    }

    private func expectsContinue(_ request: HTTPRequest) -> Bool {
        !continueSent && request.version == .http1_1 && request.headers.hasToken("100-continue", in: "Expect")
    }

    private mutating func continueOnce() -> Event {
        continueSent = true
        return .continueExpected
    }

    private mutating func finish(_ head: HTTPRequest) -> Event {
        var request = head
        request.body = body
        body = []
        consumed = 0
        state = .head(scanned: 0)
        continueSent = false
        if readIndex == buffer.count {
            // Keep a small buffer for the next request; let a large one go.
            buffer.removeAll(keepingCapacity: buffer.capacity <= limits.maxHeadBytes)
        } else if readIndex > 0 {
            buffer.removeFirst(readIndex)
        }
        readIndex = 0
        return .request(request)
    }

    /// Moves past `count` bytes of the current request, within the wire limit.
    private mutating func consume(_ count: Int) throws(HTTPParseError) {
        readIndex += count
        consumed += count
        if consumed > maxWireBytes { throw .bodyTooLarge }
    }

    /// Drops bytes already consumed once they are many, so a long request
    /// does not keep its whole framing in memory.
    private mutating func compact() {
        guard readIndex > 64 * 1024, readIndex * 2 > buffer.count else { return }
        buffer.removeFirst(readIndex)
        readIndex = 0
    }

    /// Takes one CRLF-terminated line (without the CRLF), or nil when it is not all here.
    private mutating func takeLine(maxLength: Int, what: String) throws(HTTPParseError) -> ArraySlice<UInt8>? {
        let window = buffer[readIndex..<min(buffer.count, readIndex + maxLength + 2)]
        guard let lf = window.firstIndex(of: LF) else {
            if window.count >= maxLength + 2 { throw HTTPParseError(.lineTooLong, "The \(what) is too long.") }
            return nil
        }
        guard lf > readIndex, buffer[lf - 1] == CR else { throw HTTPParseError(.lineWithoutCRLF, "The \(what) does not end in CRLF.") }
        let line = buffer[readIndex..<lf - 1]
        try consume(lf + 1 - readIndex)
        return line
    }

    /// `chunk-size [ chunk-ext ]`: hex digits, then optionally `;` and extensions.
    static func chunkSize(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> Int {
        let sizeEnd = line.firstIndex(of: UInt8(ascii: ";")) ?? line.endIndex
        let digits = line[line.startIndex..<sizeEnd]
        guard !digits.isEmpty else { throw HTTPParseError(.missingChunkSize, "A chunk size is missing.") }
        var size = 0
        for byte in digits {
            guard let value = hexDigit(byte) else { throw HTTPParseError(.chunkSizeNotHexadecimal, "A chunk size is not hexadecimal.") }
            guard size <= (Int.max - value) / 16 else { throw HTTPParseError(.chunkSizeOverflow, "A chunk size overflows.") }
            size = size * 16 + value
        }
        for byte in line[sizeEnd...] where (byte < 0x20 && byte != HTAB) || byte == 0x7F {
            throw HTTPParseError(.controlCharacterInChunkExtension, "A chunk extension holds a control character.")
        }
        return size
    }

    /// 1*DIGIT as an Int, nil when empty, signed, spaced or overflowing.
    /// (Swift's `Int("+5")` accepts a sign, so this has its own loop.)
    static func decimal(_ text: Substring) -> Int? {
        guard !text.isEmpty else { return nil }
        var value = 0
        for byte in text.utf8 {
            guard let d = digit(byte) else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(d)
            if o1 || o2 { return nil }
            value = sum
        }
        return value
    }
}

let CR: UInt8 = 0x0D
let LF: UInt8 = 0x0A
let SP: UInt8 = 0x20
let HTAB: UInt8 = 0x09

@inline(__always)
func digit(_ byte: UInt8) -> Int? {
    byte >= 0x30 && byte <= 0x39 ? Int(byte - 0x30) : nil
}

/// RFC 9110 `tchar`: the characters of a method or a header name.
@inline(__always)
func isTokenByte(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
    case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
         UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
         UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"): true
    default: false
    }
}
