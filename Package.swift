// swift-tools-version:6.2
import PackageDescription

/// Settings shared by every target, tests included.
let swiftSettings: [SwiftSetting] = [
    // Spell out existential types as `any P` (SE-0335), so their cost is visible.
    .enableUpcomingFeature("ExistentialAny"),
    // A file sees only the members of modules it imports itself (SE-0444).
    .enableUpcomingFeature("MemberImportVisibility"),
    // Imports are internal unless marked `public import` (SE-0409), keeping public surfaces small.
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "jaan",
    products: [
        .library(name: "JaanCluster", targets: ["JaanCluster"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .target(
            name: "JaanCluster",
            dependencies: ["CJaanCluster", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // What JaanCluster cannot call from Swift: variadic `prctl`, the `CPU_COUNT` macro, GNU spawn and pipe extensions.
        .target(name: "CJaanCluster"),
        // A tiny HTTP/1.1 responder run under the supervisor by JaanClusterTests and the cluster benchmark.
        .executableTarget(
            name: "JaanClusterTestWorker",
            dependencies: ["JaanCluster", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "JaanClusterTests",
            dependencies: ["JaanCluster", "JaanClusterTestWorker", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
