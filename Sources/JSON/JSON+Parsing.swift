extension JSON {
    /// The deepest nesting of arrays and objects `parse` accepts.
    public static let maximumNestingDepth = 256

    /// Parses `bytes`, which must hold exactly one JSON text (RFC 8259) in UTF-8,
    /// optionally surrounded by whitespace.
    ///
    /// The parser is strict: no comments, trailing commas, `NaN`/`Infinity`, leading
    /// zeros or unescaped control characters; invalid UTF-8, lone surrogates,
    /// duplicate object keys, numbers beyond `Double` range and nesting deeper than
    /// `maximumNestingDepth` are errors.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSON {
        let contiguous = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONParseError) in try JSONParser.parse(buffer) }
        }
        let result = contiguous ?? Array(bytes).withUnsafeBufferPointer { buffer in
            Result { () throws(JSONParseError) in try JSONParser.parse(buffer) }
        }
        return try result.get()
    }

    /// Parses the UTF-8 encoding of `text`; see `parse(_:)` for the rules.
    public static func parse(_ text: String) throws(JSONParseError) -> JSON {
        try parse(text.utf8)
    }
}
