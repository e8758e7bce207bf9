// swift-tools-version:6.0
// Entente: a registry of strategic partnerships for cultural projects.
// Zero package dependencies: the toolchain and two C system libraries only.
// Layers (an arrow points from a module to one it uses; each target below
// lists exactly the modules its files import):
//   entente → EntenteAPI → HTTPServer → CLinux
//             EntenteAPI → Registry → SQLite → CSQLite
//   Registry → Governance, JSON, Digest (→ CCrypto), Locks, Timekeeping
//   HTTPServer → JSON, Locks, Logging, Timekeeping;  Logging → JSON, Timekeeping
// Governance, JSON, Locks and Timekeeping are leaves: they use no module of the package.
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
        .systemLibrary(name: "CLinux"),
        .target(name: "Locks"),
        .target(name: "JSON"),
        .target(name: "Governance"),
        .target(name: "Timekeeping"),
        .target(name: "Logging", dependencies: ["JSON", "Locks", "Timekeeping"]),
        .target(name: "Digest", dependencies: ["CCrypto", "Locks"]),
        .target(name: "SQLite", dependencies: ["CSQLite", "Locks"]),
        .target(name: "Registry", dependencies: ["SQLite", "JSON", "Governance", "Digest", "Locks", "Timekeeping"]),
        .target(name: "HTTPServer", dependencies: ["CLinux", "JSON", "Locks", "Logging", "Timekeeping"]),
        .target(name: "EntenteAPI", dependencies: ["HTTPServer", "Registry", "Governance", "JSON", "Digest", "Locks", "Logging", "Timekeeping"]),
        .executableTarget(name: "entente", dependencies: ["EntenteAPI", "Registry", "HTTPServer", "SQLite", "Locks", "Logging", "Timekeeping"]),
        // Times the power indices on standard games (docs/performance.md); not part of the service.
        .executableTarget(name: "entente-bench", dependencies: ["Governance", "TestSupport"]),

        // What the test targets, the fuzz targets and entente-bench share: raw
        // loopback sockets and deterministic random numbers. No XCTest, no mocks.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "LocksTests", dependencies: ["Locks"]),
        .testTarget(name: "SQLiteTests", dependencies: ["SQLite"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "DigestTests", dependencies: ["Digest"]),
        .testTarget(name: "TimekeepingTests", dependencies: ["Timekeeping"]),
        .testTarget(name: "LoggingTests", dependencies: ["Logging"]),
        .testTarget(name: "GovernanceTests", dependencies: ["Governance", "TestSupport"]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "SQLite", "Timekeeping"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TestSupport"]),
        .testTarget(name: "ententeTests", dependencies: ["entente", "TestSupport"]),
        .testTarget(name: "EntenteAPITests", dependencies: ["EntenteAPI", "Registry", "HTTPServer", "SQLite", "JSON", "Digest", "Logging", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
