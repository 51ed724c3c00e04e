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

/// Jaan's benchmarks, side by side with their peers.
let package = Package(
    name: "jaan-benchmarks",
    dependencies: [
        .package(name: "jaan", path: ".."),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // MARK: Timeout benchmark (run-timeout.sh): /json with and without TimeoutMiddleware in one process.
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
    ],
    swiftLanguageModes: [.v6]
)
