/// The `GET /users/:id` body: a user with ten small items, about 1 KB of JSON, built per request from the id.
///
/// Field names, order and values are mirrored in `node/server.js` (`makeUser`); keep the two in step.
/// No value contains a `/`, which Foundation's `JSONEncoder` would escape and `JSON.stringify` would not.
public struct User: Codable, Sendable {
    /// The id from the path.
    public var id: Int
    /// `user<id>`.
    public var username: String
    /// `User <id>`.
    public var displayName: String
    /// `user<id>@example.com`.
    public var email: String
    /// Whether the id is even.
    public var active: Bool
    /// A fixed timestamp string (no date formatting on the request path).
    public var createdAt: String
    /// A fixed pair of roles.
    public var roles: [String]
    /// Ten items, numbered 1 through 10.
    public var items: [Item]

    /// Builds the benchmark user for an id.
    /// - Parameter id: The user id from the path; ``parseID(_:)`` bounds it.
    public init(id: Int) {
        self.id = id
        self.username = "user\(id)"
        self.displayName = "User \(id)"
        self.email = "user\(id)@example.com"
        self.active = id % 2 == 0
        self.createdAt = "2024-01-15T09:30:00Z"
        self.roles = ["member", "editor"]
        self.items = (1...10).map { Item(userID: id, number: $0) }
    }

    /// Parses a path parameter as a user id: 1 to 9 decimal digits, so every derived number stays exact
    /// in JavaScript too.
    /// - Parameter text: The `:id` path segment.
    /// - Returns: The id, or `nil` when the segment is not such a number (the apps answer 400).
    public static func parseID(_ text: Substring) -> Int? {
        guard (1...9).contains(text.utf8.count), text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        return Int(text)
    }
}

/// One of a ``User``'s ten items.
public struct Item: Codable, Sendable {
    /// `userID * 100 + number`.
    public var id: Int
    /// `SKU-<userID>-<number>`.
    public var sku: String
    /// `Item <number>`.
    public var name: String
    /// The item number.
    public var quantity: Int
    /// `number * 250 + 99`.
    public var priceCents: Int
    /// Whether the number is not a multiple of 3.
    public var inStock: Bool

    /// Builds item `number` of user `userID`.
    /// - Parameters:
    ///   - userID: The owning user's id.
    ///   - number: The item number, 1 through 10.
    public init(userID: Int, number: Int) {
        self.id = userID * 100 + number
        self.sku = "SKU-\(userID)-\(number)"
        self.name = "Item \(number)"
        self.quantity = number
        self.priceCents = number * 250 + 99
        self.inStock = number % 3 != 0
    }
}
