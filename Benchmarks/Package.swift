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
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        // MARK: Pool benchmark: ns per withConnection lease, JaanPool against a Mutex-guarded array floor.
        .executableTarget(
            name: "PoolBenchmark",
            dependencies: [
                .product(name: "JaanPool", package: "jaan"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/PoolBenchmark",
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
