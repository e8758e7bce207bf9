/// The words after a command, checked against what that command accepts.
///
/// Every mistake is a `UsageError` that names the word at fault: an unknown
/// flag, a flag without its value, a word that is not a flag.
struct Arguments {
    let command: Command
    private var values: [String: String] = [:]
    private var switches: Set<String> = []
    private let environment: [String: String]

    init(_ words: some Collection<String>, for command: Command, environment: [String: String]) throws(UsageError) {
        self.command = command
        self.environment = environment
        var remaining = words[...]
        while let word = remaining.popFirst() {
            guard word.hasPrefix("-") else {
                throw UsageError("unexpected argument '\(word)' for \(command.name)")
            }
            let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
            let flag = word == "-h" ? "--help" : parts[0]
            guard let option = command.option(flag) else {
                throw UsageError("unknown flag \(flag) for \(command.name)")
            }
            guard option.value != nil else {
                if parts.count == 2 { throw UsageError("\(flag) takes no value") }
                switches.insert(flag)
                continue
            }
            if parts.count == 2 {
                values[flag] = parts[1]
            } else if let next = remaining.first, !next.hasPrefix("--") {
                values[flag] = next
                remaining.removeFirst()
            } else {
                throw UsageError("\(flag) needs a value (\(option.value!))")
            }
        }
    }

    /// Whether a switch such as `--help` was given.
    func isSet(_ flag: String) -> Bool { switches.contains(flag) }

    /// The flag's value, else its environment variable's, else its default.
    func value(_ flag: String) -> String? {
        guard let option = command.option(flag) else { preconditionFailure("\(command.name) declares no \(flag)") }
        if let given = values[flag] { return given }
        if let variable = option.environment, let set = environment[variable], !set.isEmpty { return set }
        return option.defaultValue
    }

    /// The flag's value when it is required.
    func required(_ flag: String) throws(UsageError) -> String {
        guard let value = value(flag) else { throw UsageError("\(command.name) needs \(flag)") }
        return value
    }

    /// A whole-number value within `range`.
    func integer(_ flag: String, in range: ClosedRange<Int>) throws(UsageError) -> Int {
        let text = try required(flag)
        guard let number = Int(text), range.contains(number) else {
            throw UsageError("\(flag) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
        }
        return number
    }
}

/// A mistake in the command line: printed as one line on stderr, exit status 2.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
