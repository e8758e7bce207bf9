/// Parsed command-line words: a command path and `--flag value` options.
struct Arguments {
    var commands: [String] = []
    var options: [String: String] = [:]
    var flags: Set<String> = []

    /// Options that take a value; anything else starting with `--` is a flag.
    static let valued: Set<String> = [
        "--host", "--port", "--db", "--name", "--role", "--partner", "--migrations", "--synchronous", "--url",
        "--max-head-bytes", "--max-body-bytes", "--head-timeout", "--idle-timeout", "--workers",
    ]

    init(_ words: [String]) throws(UsageError) {
        var index = 0
        while index < words.count {
            let word = words[index]
            if word.hasPrefix("--") {
                let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
                if Self.valued.contains(parts[0]) {
                    if parts.count == 2 {
                        options[parts[0]] = parts[1]
                    } else {
                        guard index + 1 < words.count else { throw UsageError("\(word) needs a value") }
                        options[word] = words[index + 1]
                        index += 1
                    }
                } else {
                    flags.insert(word)
                }
            } else if word == "-h" {
                flags.insert("--help")
            } else {
                commands.append(word)
            }
            index += 1
        }
    }
}

extension Arguments {
    /// A whole-number option within `range`, or `fallback` when absent.
    func integer(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws(UsageError) -> Int {
        guard let text = options[name] else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw UsageError("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}

struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
