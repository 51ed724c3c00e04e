// Encodes the two JSON payloads of the HTTP benchmark with JaanHTTP's JSONResponseEncoder and with
// Foundation's JSONEncoder, side by side in one run, and prints ns/op medians and ratios.
//
// Usage: swift run -c release JSONBenchmark [rounds] [iterations-per-round] [profile | profile-hello]
// With `profile` (`profile-hello`), only JSONResponseEncoder runs, on the user (hello) payload,
// for perf or callgrind.

import Foundation
import JaanHTTP
import NIOCore

struct Message: Encodable {
    var message: String
}

struct User: Encodable {
    struct Item: Encodable {
        var id: Int
        var name: String
        var price: Double
        var quantity: Int
        var inStock: Bool
    }

    var id: Int
    var name: String
    var email: String
    var isActive: Bool
    var createdAt: String
    var bio: String
    var items: [Item]

    /// About 1 KB of JSON, built from the path parameter as the `/users/:id` route does.
    static func make(id: Int) -> User {
        User(
            id: id,
            name: "User \(id)",
            email: "user\(id)@example.com",
            isActive: true,
            createdAt: "2026-11-29T03:00:00Z",
            bio: "A user of the Jaan benchmark, who owns ten small items.",
            items: (1...10).map { Item(id: $0, name: "Item number \($0)", price: Double($0) * 9.99, quantity: $0 * 2, inStock: $0 % 3 != 0) }
        )
    }
}

let arguments = CommandLine.arguments
let rounds = arguments.count > 1 ? Int(arguments[1]) ?? 15 : 15
let iterations = arguments.count > 2 ? Int(arguments[2]) ?? 20_000 : 20_000

let allocator = ByteBufferAllocator()
let jaan = JSONResponseEncoder()
let foundation = JSONEncoder()
var sink = 0

/// Nanoseconds per operation of `body` over `iterations` calls.
@MainActor func measure(_ body: () throws -> Int) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<iterations {
        sink &+= try body()
    }
    return Double(DispatchTime.now().uptimeNanoseconds - start) / Double(iterations)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// Runs both encoders in alternation, `rounds` times, and prints their medians.
@MainActor func compare(_ name: String, jaanBody: () throws -> Int, foundationBody: () throws -> Int) rethrows {
    // Warm-up.
    _ = try measure(jaanBody)
    _ = try measure(foundationBody)
    var jaanTimes: [Double] = []
    var foundationTimes: [Double] = []
    for _ in 0..<rounds {
        jaanTimes.append(try measure(jaanBody))
        foundationTimes.append(try measure(foundationBody))
    }
    let jaanMedian = median(jaanTimes)
    let foundationMedian = median(foundationTimes)
    print(
        "| \(name) | \(String(format: "%.0f", jaanMedian)) | \(String(format: "%.0f", foundationMedian)) | "
            + "\(String(format: "%.2f", foundationMedian / jaanMedian))x |"
    )
}

let message = Message(message: "Hello, World!")
var userID = 0
let userFixture = User.make(id: 1)
let userBytes = try jaan.encode(User.make(id: 1), allocator: allocator).readableBytes

if arguments.count > 3 && arguments[3] == "profile" {
    for _ in 0..<(rounds * iterations) {
        userID &+= 1
        sink &+= try jaan.encode(User.make(id: userID), allocator: allocator).readableBytes
    }
    exit(0)
}
if arguments.count > 3 && arguments[3] == "profile-hello" {
    for _ in 0..<(rounds * iterations) {
        sink &+= try jaan.encode(message, allocator: allocator).readableBytes
    }
    exit(0)
}

print("JSON encoding, \(rounds) rounds of \(iterations) encodes each, medians (ns/op); user payload \(userBytes) bytes")
print("| payload | JSONResponseEncoder | Foundation JSONEncoder | speed-up |")
print("|---|---|---|---|")
try compare(
    "hello message",
    jaanBody: { try jaan.encode(message, allocator: allocator).readableBytes },
    foundationBody: {
        // What Hummingbird does: Foundation encodes to Data, which is copied into a ByteBuffer.
        var buffer = allocator.buffer(capacity: 0)
        buffer.writeBytes(try foundation.encode(message))
        return buffer.readableBytes
    }
)
try compare(
    "user with ten items",
    jaanBody: {
        userID &+= 1
        return try jaan.encode(User.make(id: userID), allocator: allocator).readableBytes
    },
    foundationBody: {
        userID &+= 1
        var buffer = allocator.buffer(capacity: 0)
        buffer.writeBytes(try foundation.encode(User.make(id: userID)))
        return buffer.readableBytes
    }
)
try compare(
    "user, encode only (value built once)",
    jaanBody: { try jaan.encode(userFixture, allocator: allocator).readableBytes },
    foundationBody: {
        var buffer = allocator.buffer(capacity: 0)
        buffer.writeBytes(try foundation.encode(userFixture))
        return buffer.readableBytes
    }
)
if sink == 42 { print(sink) }
