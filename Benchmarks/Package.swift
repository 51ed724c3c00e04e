// swift-tools-version:6.2
import PackageDescription

/// Settings shared by every benchmark target (the same as the Jaan package's).
let swiftSettings: [SwiftSetting] = [
    // Spell out existential types as `any P` (SE-0335), so their cost is visible.
    .enableUpcomingFeature("ExistentialAny"),
    // A file sees only the members of modules it imports itself (SE-0444).
    .enableUpcomingFeature("MemberImportVisibility"),
    // Imports are internal unless marked `public import` (SE-0409), keeping public surfaces small.
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// Jaan's benchmarks, side by side with their peers: one executable target per benchmarked app,
/// plus small shared libraries that keep the apps' payloads identical.
let package = Package(
    name: "jaan-benchmarks",
    dependencies: [
        .package(name: "jaan", path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // MARK: HTTP server benchmark (run-http.sh): the same app on Jaan, Hummingbird and Node (node/server.js).
        .target(
            name: "HTTPBenchmarkModel",
            path: "Sources/HTTPBenchmarkModel",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "HummingbirdApp",
            dependencies: [
                "HTTPBenchmarkModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/HummingbirdApp",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "JaanApp",
            dependencies: [
                "HTTPBenchmarkModel",
                .product(name: "JaanHTTP", package: "jaan"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Sources/JaanApp",
            swiftSettings: swiftSettings
        ),

        // MARK: JSON encoding benchmark: JaanHTTP's JSONResponseEncoder against Foundation's JSONEncoder.
        .executableTarget(
            name: "JSONBenchmark",
            dependencies: [
                .product(name: "JaanHTTP", package: "jaan"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // MARK: Pool benchmark: ns per withConnection lease, JaanPool against a Mutex-guarded array floor.
        .executableTarget(
            name: "PoolBenchmark",
            dependencies: [
                .product(name: "JaanPool", package: "jaan"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/PoolBenchmark",
            swiftSettings: swiftSettings
        ),
        // MARK: Compression benchmark: JaanCompression against raw zlib and NIOHTTPCompression.
        .systemLibrary(
            name: "CSystemZlib",
            path: "Sources/CSystemZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .executableTarget(
            name: "CompressionBenchmark",
            dependencies: [
                "CSystemZlib",
                .product(name: "JaanCompression", package: "jaan"),
                .product(name: "JaanHTTP", package: "jaan"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
            ],
            path: "Sources/CompressionBenchmark",
            swiftSettings: swiftSettings
        ),
        // MARK: Timeout benchmark: /json with and without JaanTimeout's middleware (run-timeout.sh).
        .executableTarget(
            name: "TimeoutBenchmark",
            dependencies: [
                .product(name: "JaanHTTP", package: "jaan"),
                .product(name: "JaanTimeout", package: "jaan"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            path: "Sources/TimeoutBenchmark",
            swiftSettings: swiftSettings
        ),
        // MARK: PostgreSQL benchmark: JaanPostgres against pgbench and PostgresNIO on a pgbench database.
        .executableTarget(
            name: "PostgresBenchmark",
            dependencies: [
                .product(name: "JaanPool", package: "jaan"),
                .product(name: "JaanPostgres", package: "jaan"),
                .product(name: "JaanPostgresServer", package: "jaan"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/PostgresBenchmark",
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
