// swift-tools-version:6.0
// Entente: a registry of strategic partnerships for cultural projects.
// Zero package dependencies: the toolchain and two C system libraries only.
// Layers (arrows point to what a module may use):
//   CSQLite → SQLite → Registry ← EntenteAPI → HTTPServer
//   JSON, Governance, Digest (CCrypto) and Locks are leaves used by the layers above.
import PackageDescription

let package = Package(
    name: "entente",
    products: [
        .executable(name: "entente", targets: ["entente"]),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "Locks"),
        .target(name: "SQLite", dependencies: ["CSQLite"]),
        .target(name: "JSON"),
        .target(name: "Digest", dependencies: ["CCrypto"]),
        .target(name: "Governance"),
        .target(name: "Registry", dependencies: ["SQLite", "JSON", "Governance", "Digest", "Locks"]),
        .systemLibrary(name: "CLinux"),
        .target(name: "HTTPServer", dependencies: ["CLinux", "Locks"]),
        .target(name: "EntenteAPI", dependencies: ["HTTPServer", "Registry", "Governance", "JSON", "Digest", "Locks"]),
        .executableTarget(name: "entente", dependencies: ["EntenteAPI", "Registry", "HTTPServer", "SQLite", "Locks"]),
        // Times the power indices on standard games (docs/performance.md); not part of the service.
        .executableTarget(name: "entente-bench", dependencies: ["Governance"]),

        .testTarget(name: "LocksTests", dependencies: ["Locks"]),
        .testTarget(name: "SQLiteTests", dependencies: ["SQLite"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "DigestTests", dependencies: ["Digest"]),
        .testTarget(name: "GovernanceTests", dependencies: ["Governance"]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "SQLite"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer"]),
        .testTarget(name: "ententeTests", dependencies: ["entente"]),
        .testTarget(name: "EntenteAPITests", dependencies: ["EntenteAPI", "Registry", "HTTPServer", "SQLite", "JSON", "Digest"]),
    ],
    swiftLanguageModes: [.v6]
)
