import Foundation
import JaanPool
import JaanPostgres
import Logging

/// Generates users, accepted connections and messages with COPY, for load tests and query plans.
///
/// Every seeded user's email is `seed-<run>-<n>@example.com` and all share one password, hashed once.
struct Seeder: Sendable {
    /// How many users to create.
    var users: Int
    /// How many later users each user is connected to (accepted).
    var connectionsPerUser: Int
    /// How many messages each connection holds.
    var messagesPerConnection: Int
    /// A tag unique to this run, so seeds can be repeated on one database.
    var run = String(UInt32.random(in: 0...UInt32.max), radix: 16)

    /// What a seed created.
    struct Summary: Codable, Sendable {
        var run: String
        var firstUserID: Int
        var lastUserID: Int
        var users: Int
        var connections: Int
        var messages: Int
        var emailPattern: String
    }

    /// The email of the `index`th seeded user of this run (from 0).
    func email(_ index: Int) -> String { "seed-\(run)-\(index)@example.com" }

    /// Loads the rows in one transaction, then vacuums the tables: the freshly copied rows get their hint bits and
    /// visibility-map bits now, not from the first requests that read them.
    func seed(on connection: PostgresConnection, passwordHash: String) async throws -> Summary {
        let summary = try await load(on: connection, passwordHash: passwordHash)
        try await connection.query("VACUUM (ANALYZE) users, connections, messages")
        return summary
    }

    private func load(on connection: PostgresConnection, passwordHash: String) async throws -> Summary {
        try await connection.withTransaction { connection in
            try await connection.copyFrom(table: "users", columns: ["email", "name", "password_hash"]) { writer in
                for index in 0..<users {
                    try await writer.write(email(index), "Seed User \(index)", passwordHash)
                }
            }
            let range = try await connection.query(
                "SELECT min(id), max(id) FROM users WHERE email ~>=~ \("seed-\(run)-") AND email ~<~ \("seed-\(run)-\u{10FFFF}")"
            )
            let first = try range[0].decode(Int.self, at: 0)
            let last = try range[0].decode(Int.self, at: 1)
            let ids = Array(first...last)
            var pairs: [(Int, Int)] = []
            for (offset, id) in ids.enumerated() {
                for step in 1...max(1, connectionsPerUser) where connectionsPerUser > 0 && offset + step < ids.count {
                    pairs.append((id, ids[offset + step]))
                }
            }
            try await connection.copyFrom(table: "connections", columns: ["requester_id", "addressee_id", "status", "accepted_at"]) { writer in
                let now = Date()
                for (requester, addressee) in pairs { try await writer.write(requester, addressee, "accepted", now) }
            }
            var messages = 0
            try await connection.copyFrom(table: "messages", columns: ["sender_id", "recipient_id", "body"]) { writer in
                for (requester, addressee) in pairs {
                    for index in 0..<messagesPerConnection {
                        let (sender, recipient) = index.isMultiple(of: 2) ? (requester, addressee) : (addressee, requester)
                        try await writer.write(sender, recipient, "Seeded message \(index) from \(sender)")
                        messages += 1
                    }
                }
            }
            return Summary(
                run: run, firstUserID: first, lastUserID: last, users: ids.count, connections: pairs.count, messages: messages,
                emailPattern: "seed-\(run)-<n>@example.com"
            )
        }
    }
}
