// swift-tools-version: 6.1
// Headway — a secondary school's assessment data cycle. Layout and dependency rules:
// ARCHITECTURE.md (shared). Each target imports only what that table allows.
import PackageDescription

let package = Package(
    name: "Headway",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "headway", targets: ["headway"]),
        .library(name: "HeadwayCore", targets: ["HeadwayCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.32.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.0"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
    ],
    targets: [
        .target(name: "HeadwayCore"),
        .target(name: "HeadwayAnalytics", dependencies: ["HeadwayCore"]),
        .target(
            name: "HeadwayImport",
            dependencies: [
                "HeadwayCore",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            // The data files the program needs (issue 12, item 2): shipped with it, so it works
            // from any folder. The top-level `data` is a link to this folder.
            resources: [.copy("Resources/data")]
        ),
        .target(
            name: "HeadwayStore",
            dependencies: [
                "HeadwayCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "HeadwayReports",
            dependencies: [
                "HeadwayCore", "HeadwayAnalytics",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .target(name: "HeadwaySynthetic", dependencies: ["HeadwayCore"]),
        .target(
            name: "HeadwayCLI",
            dependencies: [
                "HeadwayCore", "HeadwayAnalytics", "HeadwayImport", "HeadwayStore",
                "HeadwayReports", "HeadwaySynthetic",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "headway", dependencies: ["HeadwayCLI"]),
        .executableTarget(
            name: "HeadwayBenchmarks",
            dependencies: ["HeadwayCore", "HeadwayStore", "HeadwaySynthetic", "HeadwayAnalytics", "HeadwayReports", "HeadwayImport"],
            exclude: ["Peers"]  // the DuckDB and pandas scripts the ks4-command suite runs beside headway
        ),
        .target(
            name: "HeadwayTestSupport",
            dependencies: [
                "HeadwayCore", "HeadwayStore",
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        .testTarget(name: "HeadwayCoreTests", dependencies: ["HeadwayCore", "HeadwayTestSupport"]),
        .testTarget(name: "HeadwayAnalyticsTests", dependencies: ["HeadwayAnalytics", "HeadwayTestSupport"]),
        .testTarget(
            name: "HeadwayImportTests",
            // CSV.swift: the reference the byte-level CSVScanner is fuzzed against (issue 13).
            dependencies: ["HeadwayImport", "HeadwayTestSupport", .product(name: "CSV", package: "CSV.swift")],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "HeadwayStoreTests", dependencies: ["HeadwayStore", "HeadwayTestSupport"]),
        .testTarget(name: "HeadwayReportsTests", dependencies: ["HeadwayReports", "HeadwayTestSupport"]),
        .testTarget(name: "HeadwaySyntheticTests", dependencies: ["HeadwaySynthetic", "HeadwayAnalytics"]),
        .testTarget(name: "HeadwayCLITests", dependencies: ["HeadwayCLI", "HeadwayTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
