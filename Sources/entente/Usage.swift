import Foundation

/// Help text, made from the commands' own descriptions.
enum Usage {
    static func overview(version: String) -> String {
        var text = "entente \(version): a registry of strategic partnerships for cultural projects.\n\nUsage:\n"
        for command in Command.all {
            text += "  entente \(command.name) [options]\n      \(command.summary)\n"
        }
        text += "  entente --help | --version\n\n"
        text += "Run 'entente COMMAND --help' for a command's options. Every option and variable:\n"
        for command in Command.all {
            text += "\n" + details(of: command)
        }
        return text
    }

    static func help(for command: Command) -> String {
        "Usage: entente \(command.name) [options]\n\n\(command.summary)\n\n" + details(of: command)
    }

    private static func details(of command: Command) -> String {
        var text = "\(command.name):\n"
        for option in command.options {
            let flag = option.value.map { "\(option.flag) \($0)" } ?? option.flag
            var help = option.help
            if let variable = option.environment { help += "; $\(variable)" }
            if let value = option.defaultValue { help += " (default \(value))" }
            text += "  " + flag.padding(toLength: max(flag.count, 36), withPad: " ", startingAt: 0) + " " + help + "\n"
        }
        for variable in command.environment {
            text += "  " + ("$" + variable.name).padding(toLength: max(variable.name.count + 1, 36), withPad: " ", startingAt: 0) + " " + variable.help + "\n"
        }
        return text
    }
}
