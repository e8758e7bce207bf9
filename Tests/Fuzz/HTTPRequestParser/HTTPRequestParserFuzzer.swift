// libFuzzer target for Sources/HTTPServer/RequestParser.swift.
//
// Built by .ci/fuzz.sh into the same module as the parser's own files
// (RequestParser, HTTPRequest, HTTPHeaders, HTTPParseError, ClientPresence),
// so the internal helpers are visible; nothing here is part of the service.
//
// Oracles, for every input:
//  1. whole vs split: the bytes appended at once and appended in pseudo-random
//     pieces (sizes drawn from a generator seeded by a hash of the input) give
//     the same sequence of requests and the same error, and leave the parser in
//     the same state (buffered bytes, reading body, mid request). The parser is
//     documented as incremental, so the cut points must not matter.
//     `continueExpected` is left out of the comparison: it depends on whether
//     the body's first bytes have arrived yet, which is exactly what splitting changes.
//  2. every delivered request is well formed: method a token, target a path or
//     `*`, header names tokens, values trimmed and free of control characters,
//     body within the limit and as long as Content-Length says.
//  3. `continueExpected` comes at most once per request, and only before a
//     request that asked `Expect: 100-continue` over HTTP/1.1.
//  4. re-framing: each request written back canonically (its head as parsed,
//     Content-Length framing) parses, with a fresh parser, into the same request.
//  5. errors carry one of the statuses the parser documents.
//  6. the parser makes progress: a bounded number of events per input byte.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    HTTPRequestParserFuzzer.run(bytes)
    return 0
}

enum HTTPRequestParserFuzzer {
    struct Request: Equatable {
        var method: String
        var target: String
        var version: HTTPVersion
        var headers: [[String]]
        var body: [UInt8]

        init(_ request: HTTPRequest) {
            method = request.method
            target = request.target
            version = request.version
            headers = request.headers.fields.map { [$0.name, $0.value] }
            body = request.body
        }
    }

    enum Outcome: Equatable {
        case request(Request)
        case error(HTTPParseError)
    }

    struct Final: Equatable {
        var bufferedByteCount: Int
        var isReadingBody: Bool
        var isMidRequest: Bool
    }

    struct Run {
        var outcomes: [Outcome] = []
        var failed = false
        var final: Final?
    }

    /// Seeded from the input, so that a crash replays exactly (Tests/TestSupport/SplitMix64.swift,
    /// compiled into this target by .ci/fuzz.sh).
    typealias Generator = SplitMix64

    static let limitChoices: [RequestParser.Limits] = [
        RequestParser.Limits(),  // the service's defaults
        RequestParser.Limits(maxHeadBytes: 64, maxBodyBytes: 16),
        RequestParser.Limits(maxHeadBytes: 200, maxBodyBytes: 100),
        RequestParser.Limits(maxHeadBytes: 1024, maxBodyBytes: 1024),
    ]

    static func run(_ bytes: [UInt8]) {
        // FNV-1a over the input: the seed of the limits and of the cut points.
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        var generator = Generator(state: hash)
        let limits = limitChoices[generator.below(limitChoices.count)]

        let whole = parse(bytes, limits: limits, pieces: [bytes.count])

        var pieces: [Int] = []
        // Byte-at-a-time delivery rescans the line in progress on every byte
        // (quadratic in the line's length), so long inputs get larger pieces
        // to keep the fuzzer fast.
        let mode = bytes.count <= 256 ? generator.below(4) : bytes.count <= 1024 ? 1 + generator.below(3) : 2 + generator.below(2)
        var left = bytes.count
        while left > 0 {
            let piece: Int
            switch mode {
            case 0: piece = 1
            case 1: piece = 1 + generator.below(8)
            case 2: piece = 1 + generator.below(64)
            default: piece = 1 + generator.below(max(1, bytes.count))
            }
            pieces.append(min(piece, left))
            left -= min(piece, left)
        }
        let split = parse(bytes, limits: limits, pieces: pieces)

        guard whole.outcomes == split.outcomes else {
            fatalError("whole and split parses differ (limits \(limits.maxHeadBytes)/\(limits.maxBodyBytes), pieces \(pieces)):\n  whole: \(whole.outcomes)\n  split: \(split.outcomes)")
        }
        guard whole.final == split.final else {
            fatalError("whole and split parses end in different states: \(String(describing: whole.final)) vs \(String(describing: split.final)) (pieces \(pieces))")
        }

        for case .request(let request) in whole.outcomes {
            reframe(request)
        }
    }

    static func parse(_ bytes: [UInt8], limits: RequestParser.Limits, pieces: [Int]) -> Run {
        var parser = RequestParser(limits: limits)
        var run = Run()
        var offset = 0
        var continuePending = false
        var events = 0
        pieceLoop: for piece in pieces {
            bytes.withUnsafeBytes { parser.append(UnsafeRawBufferPointer(rebasing: $0[offset..<offset + piece])) }
            offset += piece
            while true {
                events += 1
                precondition(events <= 4 * bytes.count + 16, "the parser keeps returning events without progress")
                do {
                    switch try parser.next() {
                    case .request(let request):
                        check(request, limits: limits, continued: continuePending)
                        continuePending = false
                        run.outcomes.append(.request(Request(request)))
                    case .continueExpected:
                        precondition(!continuePending, "continueExpected twice for one request")
                        precondition(parser.isReadingBody, "continueExpected before the head was read")
                        continuePending = true
                    case .needMoreData:
                        continue pieceLoop
                    }
                } catch {
                    precondition([400, 413, 431, 501, 505].contains(error.status), "unexpected status in \(error)")
                    precondition(!error.code.isEmpty && !error.detail.isEmpty)
                    run.outcomes.append(.error(error))
                    run.failed = true
                    return run
                }
            }
        }
        precondition(parser.bufferedByteCount >= 0 && parser.bufferedByteCount <= bytes.count)
        run.final = Final(bufferedByteCount: parser.bufferedByteCount, isReadingBody: parser.isReadingBody,
                          isMidRequest: parser.isMidRequest)
        return run
    }

    static func check(_ request: HTTPRequest, limits: RequestParser.Limits, continued: Bool) {
        precondition(!request.method.isEmpty && request.method.utf8.allSatisfy(isTokenByte), "bad method \(request.method)")
        precondition(request.target.hasPrefix("/") || request.target == "*", "bad target \(request.target)")
        for (name, value) in request.headers.fields {
            precondition(!name.isEmpty && name.utf8.allSatisfy(isTokenByte), "bad header name \(name)")
            precondition(value.first != " " && value.first != "\t" && value.last != " " && value.last != "\t", "untrimmed value \(value)")
            precondition(!value.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F },
                         "control character in header value \(value.debugDescription)")
        }
        precondition(request.body.count <= limits.maxBodyBytes, "body of \(request.body.count) bytes past the limit")
        let transferEncodings = request.headers.values("Transfer-Encoding")
        let lengths = request.headers.values("Content-Length")
        precondition(transferEncodings.isEmpty || lengths.isEmpty, "both Transfer-Encoding and Content-Length")
        if !transferEncodings.isEmpty {
            precondition(request.version == .http1_1, "Transfer-Encoding in HTTP/1.0")
        } else if let first = lengths.first {
            let element = first.split(separator: ",", omittingEmptySubsequences: false).first!.trimmingOWS()
            precondition(RequestParser.decimal(element) == request.body.count, "body length differs from Content-Length \(first)")
        } else {
            precondition(request.body.isEmpty, "a body without framing")
        }
        if continued {
            precondition(request.version == .http1_1 && request.headers.hasToken("100-continue", in: "Expect"),
                         "continueExpected for a request that did not ask for it")
        }
    }

    /// Writes the request back with Content-Length framing and parses it again.
    static func reframe(_ request: Request) {
        var wire = Array("\(request.method) \(request.target) \(request.version == .http1_1 ? "HTTP/1.1" : "HTTP/1.0")\r\n".utf8)
        var expected: [[String]] = request.headers.filter {
            !$0[0].equalsIgnoringASCIICase("Content-Length") && !$0[0].equalsIgnoringASCIICase("Transfer-Encoding")
        }
        expected.append(["Content-Length", String(request.body.count)])
        for field in expected {
            wire += Array("\(field[0]): \(field[1])\r\n".utf8)
        }
        wire += [CR, LF] + request.body

        var parser = RequestParser(limits: RequestParser.Limits(maxHeadBytes: wire.count + 16, maxBodyBytes: request.body.count))
        parser.append(wire)
        var again: HTTPRequest?
        do {
            loop: while true {
                switch try parser.next() {
                case .request(let parsed):
                    precondition(again == nil, "one re-framed request parsed as two")
                    again = parsed
                case .continueExpected:
                    continue
                case .needMoreData:
                    break loop
                }
            }
        } catch {
            fatalError("the re-framed request fails to parse: \(error)\n\(String(decoding: wire, as: UTF8.self).debugDescription)")
        }
        guard let again else { fatalError("the re-framed request is incomplete") }
        var reference = request
        reference.headers = expected
        precondition(Request(again) == reference, "re-framing changed the request: \(reference) vs \(Request(again))")
        precondition(parser.bufferedByteCount == 0, "bytes left over after a re-framed request")
    }
}
