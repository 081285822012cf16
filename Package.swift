// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "passage",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "passage", targets: ["passage"]),
        .executable(name: "passage-bench", targets: ["PassageBench"]),
        .executable(name: "passage-outbox-bench", targets: ["OutboxBench"]),
        .executable(name: "passage-report-bench", targets: ["ReportBench"]),
        .executable(name: "passage-dedupe-bench", targets: ["DedupeBench"]),
        .executable(name: "passage-reunification-bench", targets: ["ReunificationBench"]),
        .executable(name: "passage-import-bench", targets: ["ImportBench"]),
        .executable(name: "passage-retention-bench", targets: ["RetentionBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
    ],
    targets: [
        .target(name: "PassageDomain"),
        .target(
            name: "PassageApp",
            dependencies: [
                "PassageDomain",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            resources: [.copy("Resources/airports.csv"), .copy("Resources/emission-factors.csv")]
        ),
        .executableTarget(name: "passage", dependencies: ["PassageApp"]),
        .executableTarget(
            name: "PassageBench",
            dependencies: [
                "PassageApp", "PassageDomain",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
            ],
            path: "Benchmarks/PassageBench"
        ),
        .executableTarget(
            name: "OutboxBench",
            dependencies: ["PassageApp", "PassageDomain", .product(name: "Vapor", package: "vapor")],
            path: "Benchmarks/OutboxBench"
        ),
        .executableTarget(
            name: "ReportBench",
            dependencies: ["PassageApp", "PassageDomain", .product(name: "Vapor", package: "vapor"), .product(name: "Fluent", package: "fluent")],
            path: "Benchmarks/ReportBench"
        ),
        .executableTarget(name: "DedupeBench", dependencies: ["PassageDomain"], path: "Benchmarks/DedupeBench"),
        .executableTarget(
            name: "ReunificationBench",
            dependencies: ["PassageApp", "PassageDomain", .product(name: "Vapor", package: "vapor")],
            path: "Benchmarks/ReunificationBench"
        ),
        .executableTarget(
            name: "ImportBench",
            dependencies: ["PassageApp", "PassageDomain", .product(name: "Vapor", package: "vapor")],
            path: "Benchmarks/ImportBench"
        ),
        .executableTarget(
            name: "RetentionBench",
            dependencies: ["PassageApp", "PassageDomain", .product(name: "Vapor", package: "vapor")],
            path: "Benchmarks/RetentionBench"
        ),
        .testTarget(name: "PassageDomainTests", dependencies: ["PassageDomain"]),
        .testTarget(
            name: "PassageAppTests",
            dependencies: [
                "PassageApp",
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
