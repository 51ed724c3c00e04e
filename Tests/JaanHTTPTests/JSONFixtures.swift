import Foundation
import JaanHTTP
import NIOCore

/// A user with items, the shape of the `/users/:id` benchmark payload.
struct FixtureUser: Codable, Equatable {
    struct Item: Codable, Equatable {
        var id: Int
        var name: String
        var price: Double
        var quantity: Int
        var tags: [String]
    }

    var id: Int
    var name: String
    var email: String
    var isActive: Bool
    var score: Double
    var nickname: String?
    var homePageURL: URL
    var createdAt: Date
    var token: UUID
    var items: [Item]

    static func make(id: Int) -> FixtureUser {
        FixtureUser(
            id: id,
            name: "User \(id) \"Ünïcödé\" / 😀",
            email: "user\(id)@example.com",
            isActive: id % 2 == 0,
            score: 1234.5678,
            nickname: nil,
            homePageURL: URL(string: "https://example.com/users/\(id)?tab=a&b=c")!,
            createdAt: Date(timeIntervalSince1970: 1_800_000_000),
            token: UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F")!,
            items: (0..<10).map { Item(id: $0, name: "item \($0)\n\ttab", price: Double($0) * 1.25 + 0.1, quantity: $0 * 3, tags: ["a", "b\u{1}"]) }
        )
    }
}

/// Encodes with the encoder under test and returns the text.
func jaanJSON<T: Encodable>(_ value: T, configuration: JSONResponseEncoder.Configuration = .init()) throws -> String {
    let buffer = try JSONResponseEncoder(configuration: configuration).encode(value, allocator: ByteBufferAllocator())
    return String(buffer: buffer)
}

/// Encodes with Foundation's encoder, configured to match the encoder under test.
func foundationJSON<T: Encodable>(
    _ value: T,
    sorted: Bool = false,
    snakeCase: Bool = false,
    dates: JSONEncoder.DateEncodingStrategy = .iso8601
) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = sorted ? [.withoutEscapingSlashes, .sortedKeys] : [.withoutEscapingSlashes]
    encoder.dateEncodingStrategy = dates
    if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

/// Parses JSON text into Foundation objects for comparisons that ignore key order.
func parsed(_ text: String) throws -> NSObject {
    try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as! NSObject
}
