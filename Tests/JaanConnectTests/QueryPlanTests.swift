import ArgumentParser
import Foundation
import HTTPTypes
import JaanHTTP
import JaanHTTPTesting
import JaanPool
import JaanPostgres
import JaanPostgresServer
import Logging
import NIOCore
import Testing

@testable import JaanConnect

extension ConnectTests {
    /// Every endpoint's statement, EXPLAINed with real binds on 100,000 seeded users: no sequential scan.
    @Suite struct QueryPlanTests {
        @Test func noEndpointQueryScansATableSequentiallyAt100000Users() async throws {
            try await MigrationTests.withFreshDatabase { url in
                _ = try await Migrate.migrate(url, logger: TestDatabase.quietLogger)
                try await TestDatabase.withConnection(url: url) { connection in
                    let seeder = Seeder(users: 100_000, connectionsPerUser: 1, messagesPerConnection: 1)
                    let summary = try await seeder.seed(on: connection, passwordHash: "scrypt$1024$8$1$AA==$AA==")
                    #expect(summary.users == 100_000)
                    let user = summary.firstUserID + 50_000
                    let other = user + 1
                    // One session per user, as after a busy day.
                    let expiry = Date().addingTimeInterval(86_400)
                    try await connection.copyFrom(table: "sessions", columns: ["token_hash", "user_id", "expires_at"]) { writer in
                        for id in summary.firstUserID...summary.lastUserID {
                            try await writer.write(SessionToken.hash(id == user ? "t" : "token-\(id)"), id, expiry)
                        }
                    }
                    try await connection.query("ANALYZE sessions")
                    let queries: [(String, PostgresQuery)] = [
                        ("user", Queries.user(id: user)),
                        ("account", Queries.account(email: seeder.email(50_000))),
                        ("session", Queries.sessionUser(tokenHash: SessionToken.hash("t"))),
                        ("users page", Queries.users(after: user, limit: 21)),
                        ("name search", Queries.users(prefix: "seed user 5", after: 0, limit: 21)),
                        ("email search", Queries.users(prefix: "seed-\(seeder.run)-7", after: 0, limit: 21)),
                        ("connections", Queries.connections(of: user, status: "accepted", limit: 100)),
                        ("request", Queries.requestConnection(from: user, to: user + 10)),
                        ("accept", Queries.acceptConnection(id: 10, addressee: user)),
                        ("connection", Queries.connection(id: 10, party: user)),
                        ("delete", Queries.deleteConnection(id: 10, party: user)),
                        ("send", Queries.sendMessage(from: user, to: other, body: "hello")),
                        ("messages", Queries.messages(between: user, and: other, before: Int.max, limit: 51)),
                    ]
                    for (name, query) in queries {
                        let plan = try await connection.query(PostgresQuery(unsafeSQL: "EXPLAIN " + query.sql, binds: query.binds))
                            .map { try $0.decode(String.self, at: 0) }.joined(separator: "\n")
                        #expect(!plan.contains("Seq Scan"), "\(name):\n\(plan)")
                    }
                }
            }
        }
    }
}
