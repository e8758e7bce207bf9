import Foundation

/// Finds the files the binary needs at run time (`Migrations/`, `docs/openapi.yaml`):
/// an explicit path first, then the working directory, then an installed copy
/// beside the binary (`../share/entente/`), then the source tree it was built from.
enum ResourceLocator {
    static func find(_ relativePath: String, explicit: String?) -> String? {
        if let explicit { return explicit }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let sourceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            FileManager.default.currentDirectoryPath + "/" + relativePath,
            executable.appendingPathComponent("../share/entente/" + relativePath).standardized.path,
            sourceRoot.appendingPathComponent(relativePath).path,
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }
}
