// libFuzzer target for Sources/JSON (JSON.parse and serialization).
//
// Built by .ci/fuzz.sh into the same module as Sources/JSON/*.swift.
//
// Oracles, for every input:
//  1. a rejection is a JSONParseError whose offset lies in 0...count, and an
//     `unexpected end of input` is reported at exactly `count`.
//  2. round trip: a parsed value serializes to text that parses back to an
//     equal value (same hash), and that text is a fixed point of
//     parse-then-serialize.
//  3. truncation (documented in JSONParser): cutting the serialized text of a
//     container or string anywhere before its end fails with
//     `unexpected end of input` at the cut.
//  4. merge patch (RFC 7396) is idempotent: patching twice with the same patch
//     is patching once; the results serialize and re-parse cleanly.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    JSONParserFuzzer.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

enum JSONParserFuzzer {
    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        let value: JSON
        do {
            value = try JSON.parse(input)
        } catch {
            precondition(error.offset >= 0 && error.offset <= input.count, "error offset \(error.offset) outside 0...\(input.count)")
            if error.reason == "unexpected end of input" {
                precondition(error.offset == input.count, "unexpected end of input reported at \(error.offset), not \(input.count)")
            }
            precondition(!error.reason.isEmpty)
            return
        }

        let text = Array(value.serialized().utf8)
        let again: JSON
        do {
            again = try JSON.parse(text)
        } catch {
            fatalError("serialized text does not parse: \(error)\n\(String(decoding: text, as: UTF8.self).debugDescription)")
        }
        precondition(again == value, "round trip changed the value: \(value) vs \(again)")
        precondition(again.hashValue == value.hashValue, "equal values hash differently: \(value)")
        let textAgain = Array(again.serialized().utf8)
        precondition(textAgain == text, "serialization is not a fixed point: \(String(decoding: text, as: UTF8.self)) vs \(String(decoding: textAgain, as: UTF8.self))")

        if let first = text.first, first == UInt8(ascii: "[") || first == UInt8(ascii: "{") || first == UInt8(ascii: "\"") {
            // A few cut points derived from the input: the first, the last, and spread ones.
            var cuts: Set<Int> = [1, text.count - 1]
            var seed = UInt64(truncatingIfNeeded: text.count) &* 0x9E37_79B9_7F4A_7C15
            for byte in text.prefix(64) { seed = (seed ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            for _ in 0..<4 {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                cuts.insert(1 + Int((seed >> 33) % UInt64(text.count - 1 == 0 ? 1 : text.count - 1)))
            }
            for cut in cuts where cut > 0 && cut < text.count {
                do {
                    let parsed = try JSON.parse(text[0..<cut])
                    fatalError("a truncated document parsed: \(String(decoding: text[0..<cut], as: UTF8.self)) as \(parsed)")
                } catch {
                    precondition(error.reason == "unexpected end of input" && error.offset == cut,
                                 "a truncated document fails with \(error), not unexpected end of input at \(cut): \(String(decoding: text[0..<cut], as: UTF8.self).debugDescription)")
                }
            }
        }

        for target in [value, JSON.null, JSON.object(JSONObject())] {
            let once = target.mergePatched(with: value)
            let twice = once.mergePatched(with: value)
            precondition(once == twice, "merge patch is not idempotent: \(once) vs \(twice)")
            let patchedText = Array(once.serialized().utf8)
            guard let reparsed = try? JSON.parse(patchedText), reparsed == once else {
                fatalError("a merge patch result does not round-trip: \(once)")
            }
        }
    }
}
