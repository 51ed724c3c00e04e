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
        .library(name: "JaanPostgres", targets: ["JaanPostgres"]),
        .library(name: "JaanPostgresServer", targets: ["JaanPostgresServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        .target(
            name: "JaanPostgres",
            dependencies: [
                "CLibPQ",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "JaanPostgresServer",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "JaanPostgresTests",
            dependencies: ["JaanPostgres", "JaanPostgresServer"],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
