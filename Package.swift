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
    ],
    dependencies: [
    ],
    targets: [
    ],
    swiftLanguageModes: [.v6]
)
