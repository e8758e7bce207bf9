import XCTest
@testable import HTTPServer

/// Table-driven cases of valid and invalid requests (RFC 9112, API.md §10).
final class RequestParserTests: XCTestCase {
    private let limits = RequestParser.Limits(maxHeadBytes: 256, maxBodyBytes: 64)

    /// Feeds `raw` whole, then byte by byte: both must give the same answer.
    private func parse(_ raw: String, limits: RequestParser.Limits? = nil) -> Result<[HTTPRequest], HTTPParseError> {
        let whole = run(Array(raw.utf8), chunk: Int.max, limits: limits ?? self.limits)
        let trickle = run(Array(raw.utf8), chunk: 1, limits: limits ?? self.limits)
        XCTAssertEqual(describe(whole), describe(trickle), "whole vs byte-by-byte differ for \(raw.debugDescription)")
        return whole
    }

    private func run(_ bytes: [UInt8], chunk: Int, limits: RequestParser.Limits) -> Result<[HTTPRequest], HTTPParseError> {
        var parser = RequestParser(limits: limits)
        var requests: [HTTPRequest] = []
        var offset = 0
        repeat {
            let end = min(bytes.count, offset + min(chunk, bytes.count))
            parser.append(Array(bytes[offset..<end]))
            offset = end
            do {
                loop: while true {
                    switch try parser.next() {
                    case .request(let request): requests.append(request)
                    case .continueExpected: continue
                    case .needMoreData: break loop
                    }
                }
            } catch {
                return .failure(error)
            }
        } while offset < bytes.count
        return .success(requests)
    }

    private func describe(_ result: Result<[HTTPRequest], HTTPParseError>) -> String {
        switch result {
        case .success(let requests): requests.map { "\($0.method) \($0.target) \($0.body)" }.joined(separator: "|")
        case .failure(let error): "\(error.status)"
        }
    }

    func testValidRequests() {
        let cases: [(name: String, raw: String, method: String, target: String, version: HTTPVersion, body: String)] = [
            ("simple GET", "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", "GET", "/healthz", .http1_1, ""),
            ("HTTP/1.0 without headers", "GET / HTTP/1.0\r\n\r\n", "GET", "/", .http1_0, ""),
            ("leading empty line ignored", "\r\nGET / HTTP/1.1\r\n\r\n", "GET", "/", .http1_1, ""),
            ("query kept in target", "GET /v1/partners?limit=5&q=a%20b HTTP/1.1\r\n\r\n", "GET", "/v1/partners?limit=5&q=a%20b", .http1_1, ""),
            ("Content-Length body", "POST /p HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", "POST", "/p", .http1_1, "hello"),
            ("Content-Length zero", "POST /p HTTP/1.1\r\nContent-Length: 0\r\n\r\n", "POST", "/p", .http1_1, ""),
            ("identical repeated Content-Length", "POST /p HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab", "POST", "/p", .http1_1, "ab"),
            ("Content-Length list of equal values", "POST /p HTTP/1.1\r\nContent-Length: 2, 2\r\n\r\nab", "POST", "/p", .http1_1, "ab"),
            ("chunked body", "POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "POST", "/p", .http1_1, "hello world"),
            ("chunked, upper-case hex and extension", "POST /p HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\nA;name=value\r\n0123456789\r\n0\r\n\r\n", "POST", "/p", .http1_1, "0123456789"),
            ("chunked with trailer", "POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\nX-Trailer: yes\r\n\r\n", "POST", "/p", .http1_1, "a"),
            ("OWS around value", "GET / HTTP/1.1\r\nX-A: \t spaced \t\r\n\r\n", "GET", "/", .http1_1, ""),
            ("empty header value", "GET / HTTP/1.1\r\nX-Empty:\r\n\r\n", "GET", "/", .http1_1, ""),
            ("obs-text in value", "GET / HTTP/1.1\r\nX-Name: caf\u{E9}\r\n\r\n", "GET", "/", .http1_1, ""),
            ("absolute-form target", "GET http://example.org/v1/partners?limit=2 HTTP/1.1\r\n\r\n", "GET", "/v1/partners?limit=2", .http1_1, ""),
            ("asterisk-form target", "OPTIONS * HTTP/1.1\r\n\r\n", "OPTIONS", "*", .http1_1, ""),
            ("body exactly at the limit", "POST /p HTTP/1.1\r\nContent-Length: 64\r\n\r\n" + String(repeating: "b", count: 64), "POST", "/p", .http1_1, String(repeating: "b", count: 64)),
        ]
        for c in cases {
            guard case .success(let requests) = parse(c.raw) else { XCTFail("\(c.name): rejected"); continue }
            XCTAssertEqual(requests.count, 1, c.name)
            guard let request = requests.first else { continue }
            XCTAssertEqual(request.method, c.method, c.name)
            XCTAssertEqual(request.target, c.target, c.name)
            XCTAssertEqual(request.version, c.version, c.name)
            XCTAssertEqual(String(decoding: request.body, as: UTF8.self), c.body, c.name)
        }
    }

    func testHeaderValuesAndOrder() throws {
        guard case .success(let requests) = parse("GET / HTTP/1.1\r\nHost: a\r\nX-A:  1 \r\nx-a: 2\r\n\r\n") else { return XCTFail() }
        let headers = try XCTUnwrap(requests.first).headers
        XCTAssertEqual(headers["host"], "a")
        XCTAssertEqual(headers.values("X-A"), ["1", "2"])
    }

    func testPipelinedRequestsComeOutInOrder() {
        let raw = "GET /1 HTTP/1.1\r\n\r\nPOST /2 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /3 HTTP/1.1\r\n\r\n"
        guard case .success(let requests) = parse(raw) else { return XCTFail() }
        XCTAssertEqual(requests.map(\.target), ["/1", "/2", "/3"])
        XCTAssertEqual(requests[1].body, Array("abc".utf8))
    }

    func testRejections() {
        let big = String(repeating: "a", count: 300)
        let cases: [(name: String, raw: String, reason: HTTPParseError.Reason)] = [
            ("Content-Length and Transfer-Encoding", "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", .contentLengthWithTransferEncoding),
            ("Content-Length with plus sign", "POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\n", .invalidContentLength),
            ("Content-Length negative", "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", .invalidContentLength),
            ("Content-Length hex", "POST / HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n", .invalidContentLength),
            ("Content-Length with inner space", "POST / HTTP/1.1\r\nContent-Length: 1 0\r\n\r\n", .invalidContentLength),
            ("Content-Length empty", "POST / HTTP/1.1\r\nContent-Length: \r\n\r\n", .invalidContentLength),
            ("Content-Length overflowing", "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", .invalidContentLength),
            ("Content-Lengths that differ", "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", .conflictingContentLengths),
            ("Content-Length list that differs", "POST / HTTP/1.1\r\nContent-Length: 1, 2\r\n\r\nab", .conflictingContentLengths),
            ("last coding not chunked", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", .lastCodingNotChunked),
            ("unknown coding only", "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", .lastCodingNotChunked),
            ("Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .transferEncodingInHTTP10),
            ("chunk size not hex", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", .chunkSizeNotHexadecimal),
            ("chunk size with sign", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n+5\r\nhello\r\n0\r\n\r\n", .chunkSizeNotHexadecimal),
            ("chunk size empty", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", .missingChunkSize),
            ("chunk size overflowing", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\n", .chunkSizeOverflow),
            ("chunk line ends in bare LF", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n", .lineWithoutCRLF),
            ("chunk data not followed by CRLF", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n", .chunkDataWithoutCRLF),
            ("whitespace before colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", .whitespaceBeforeColon),
            ("obs-fold", "GET / HTTP/1.1\r\nX-A: 1\r\n  continued\r\n\r\n", .obsoleteLineFolding),
            ("obs-fold with tab", "GET / HTTP/1.1\r\nX-A: 1\r\n\tcontinued\r\n\r\n", .obsoleteLineFolding),
            ("bare CR in value", "GET / HTTP/1.1\r\nX-A: a\rb\r\n\r\n", .bareCRInHeaderValue),
            ("bare LF line ending", "GET / HTTP/1.1\nHost: x\n\n", .bareLineFeed),
            ("bare CR in request line", "GET /\r HTTP/1.1\r\n\r\n", .bareCRInRequestLine),
            ("NUL in value", "GET / HTTP/1.1\r\nX-A: a\u{0}b\r\n\r\n", .controlCharacterInHeaderValue),
            ("control char in value", "GET / HTTP/1.1\r\nX-A: a\u{1}b\r\n\r\n", .controlCharacterInHeaderValue),
            ("DEL in value", "GET / HTTP/1.1\r\nX-A: a\u{7F}b\r\n\r\n", .controlCharacterInHeaderValue),
            ("NUL in name", "GET / HTTP/1.1\r\nX\u{0}A: a\r\n\r\n", .invalidHeaderName),
            ("space in name", "GET / HTTP/1.1\r\nX A: a\r\n\r\n", .invalidHeaderName),
            ("empty name", "GET / HTTP/1.1\r\n: a\r\n\r\n", .emptyHeaderName),
            ("no colon", "GET / HTTP/1.1\r\nHost\r\n\r\n", .headerWithoutColon),
            ("request line with two spaces", "GET  / HTTP/1.1\r\n\r\n", .malformedRequestLine),
            ("request line without version", "GET /\r\n\r\n", .malformedRequestLine),
            ("request line with trailing space", "GET / HTTP/1.1 \r\n\r\n", .malformedRequestLine),
            ("lower-case protocol", "GET / http/1.1\r\n\r\n", .malformedRequestLine),
            ("version with two digits", "GET / HTTP/1.10\r\n\r\n", .malformedRequestLine),
            ("method with bad character", "G@T / HTTP/1.1\r\n\r\n", .malformedRequestLine),
            ("target with control character", "GET /a\u{1}b HTTP/1.1\r\n\r\n", .malformedRequestLine),
            ("HTTP/2.0", "GET / HTTP/2.0\r\n\r\n", .unsupportedVersion),
            ("HTTP/0.9 style version", "GET / HTTP/0.9\r\n\r\n", .unsupportedVersion),
            ("HTTP/1.2", "GET / HTTP/1.2\r\n\r\n", .unsupportedVersion),
            ("head too large", "GET / HTTP/1.1\r\nX-Big: \(big)\r\n\r\n", .headTooLarge),
            ("head too large without end", "GET / HTTP/1.1\r\nX-Big: \(big)", .headTooLarge),
            ("body over the limit", "POST / HTTP/1.1\r\nContent-Length: 65\r\n\r\n", .bodyTooLarge),
            ("chunked body over the limit", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n\(String(repeating: "a", count: 64))\r\n1\r\nb\r\n0\r\n\r\n", .bodyTooLarge),
            ("target without leading slash", "GET x/v1/partners HTTP/1.1\r\n\r\n", .invalidTarget),
            ("chunked twice", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", .chunkedTwice),
            ("chunk size that would overflow the body count", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n7fffffffffffffff\r\n", .bodyTooLarge),
            ("endless blank lines before the request", String(repeating: "\r\n", count: 200), .headTooLarge),
            ("trailers past the head limit", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + String(repeating: "X-T: \(String(repeating: "t", count: 40))\r\n", count: 10) + "\r\n", .headTooLarge),
            ("chunk extensions past the wire limit", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + String(repeating: "1;\(String(repeating: "e", count: 200))\r\nz\r\n", count: 30), .bodyTooLarge),
            ("gzip then chunked", "POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", .unsupportedTransferCoding),
        ]
        for c in cases {
            switch parse(c.raw) {
            case .success(let requests): XCTFail("\(c.name): accepted as \(requests.map(\.target))")
            case .failure(let error): XCTAssertEqual(error.reason, c.reason, "\(c.name): \(error.detail)")
            }
        }
    }

    /// Each reason's answer: the status and problem code the server sends.
    func testEveryReasonHasItsStatusAndCode() {
        let answers: [(HTTPParseError.Reason, Int, String)] = [
            (.malformedRequestLine, 400, "bad_request"), (.bareLineFeed, 400, "bad_request"),
            (.unsupportedVersion, 505, "http_version_not_supported"), (.headTooLarge, 431, "header_too_large"),
            (.bodyTooLarge, 413, "payload_too_large"), (.unsupportedTransferCoding, 501, "not_implemented"),
            (.timeout, 408, "request_timeout"),
        ]
        for (reason, status, code) in answers {
            let error = HTTPParseError(reason, "detail")
            XCTAssertEqual(error.status, status, reason.rawValue)
            XCTAssertEqual(error.code, code, reason.rawValue)
        }
        let special: Set<HTTPParseError.Reason> = [.unsupportedVersion, .headTooLarge, .bodyTooLarge, .unsupportedTransferCoding, .timeout]
        for reason in HTTPParseError.Reason.allCases where !special.contains(reason) {
            XCTAssertEqual(HTTPParseError(reason, "").status, 400, reason.rawValue)
        }
    }

    func testIncompleteInputWaits() {
        for raw in ["GET / HTTP/1.1\r\n", "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhel", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel"] {
            guard case .success(let requests) = parse(raw) else { XCTFail(raw); continue }
            XCTAssertTrue(requests.isEmpty, raw)
        }
    }

    func testExpectContinueIsAnnouncedOnceBeforeTheBody() throws {
        var parser = RequestParser(limits: limits)
        parser.append(Array("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n".utf8))
        guard case .continueExpected = try parser.next() else { return XCTFail("no 100-continue") }
        guard case .needMoreData = try parser.next() else { return XCTFail("asked twice") }
        parser.append(Array("ok".utf8))
        guard case .request(let request) = try parser.next() else { return XCTFail("no request") }
        XCTAssertEqual(request.body, Array("ok".utf8))
    }

    func testDecimalParserRejectsWhatIntAccepts() {
        XCTAssertNil(RequestParser.decimal("+5"))
        XCTAssertNil(RequestParser.decimal("-0"))
        XCTAssertNil(RequestParser.decimal(""))
        XCTAssertNil(RequestParser.decimal("9223372036854775808"))
        XCTAssertEqual(RequestParser.decimal("9223372036854775807"), Int.max)
        XCTAssertEqual(RequestParser.decimal("007"), 7)
    }

    func testKeepAliveRules() {
        func request(_ version: HTTPVersion, _ connection: String?) -> HTTPRequest {
            HTTPRequest(method: "GET", target: "/", version: version, headers: HTTPHeaders(connection.map { [("Connection", $0)] } ?? []))
        }
        XCTAssertTrue(request(.http1_1, nil).keepAlive)
        XCTAssertFalse(request(.http1_1, "close").keepAlive)
        XCTAssertFalse(request(.http1_1, "Upgrade, Close").keepAlive)
        XCTAssertFalse(request(.http1_0, nil).keepAlive)
        XCTAssertTrue(request(.http1_0, "Keep-Alive").keepAlive)
    }
}
