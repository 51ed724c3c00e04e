import Foundation
import JaanPostgres
import Testing

extension PostgresTests {
    @Suite struct TransactionTests {
        struct Failure: Error {}

        static func count(_ table: String, _ connection: PostgresConnection) async throws -> Int {
            try await connection.query("SELECT count(*) AS n FROM \(identifier: table)")[0].decode(Int.self, column: "n")
        }

        @Test func commitsWhenTheBodyReturns() async throws {
            let table = TestServer.uniqueName()
            try await TestServer.withConnection { connection async throws in
                try await connection.query("CREATE TABLE \(identifier: table) (id int)")
                let value = try await connection.withTransaction { connection async throws in
                    try await connection.query("INSERT INTO \(identifier: table) VALUES (\(1)), (\(2))")
                    return "done"
                }
                #expect(value == "done")
                try await TestServer.withConnection { other async throws in #expect(try await Self.count(table, other) == 2) }
                #expect(connection.isUsable)
            }
        }

        @Test func rollsBackWhenTheBodyThrows() async throws {
            let table = TestServer.uniqueName()
            try await TestServer.withConnection { connection async throws in
                try await connection.query("CREATE TABLE \(identifier: table) (id int)")
                await #expect(throws: Failure.self) {
                    try await connection.withTransaction { connection async throws in
                        try await connection.query("INSERT INTO \(identifier: table) VALUES (\(1))")
                        throw Failure()
                    }
                }
                #expect(try await Self.count(table, connection) == 0)
                #expect(connection.isUsable)
            }
        }

        @Test func rollsBackWhenTheTaskIsCancelled() async throws {
            let table = TestServer.uniqueName()
            try await TestServer.withConnection { connection async throws in
                try await connection.query("CREATE TABLE \(identifier: table) (id int)")
                let marker = "SELECT pg_sleep(10) AS \"\(TestServer.uniqueName())\""
                let error = try await CancellationTests.cancelWhenRunning(marker) {
                    try await connection.withTransaction { connection async throws in
                        try await connection.query("INSERT INTO \(identifier: table) VALUES (\(1))")
                        try await connection.query(PostgresQuery(unsafeSQL: marker))
                    }
                }
                #expect(error is CancellationError)
                #expect(connection.isUsable)
                #expect(try await Self.count(table, connection) == 0)
            }
        }

        @Test func takesAnIsolationLevel() async throws {
            try await TestServer.withConnection { connection async throws in
                let level = try await connection.withTransaction(isolation: .serializable) { connection async throws in
                    try await connection.query("SHOW transaction_isolation")[0].decode(String.self, at: 0)
                }
                #expect(level == "serializable")
                let repeatable = try await connection.withTransaction(isolation: .repeatableRead) { connection async throws in
                    try await connection.query("SHOW transaction_isolation")[0].decode(String.self, at: 0)
                }
                #expect(repeatable == "repeatable read")
            }
        }

        @Test func aFailedStatementMakesTheCommitAnError() async throws {
            try await TestServer.withConnection { connection async throws in
                let error = await #expect(throws: PostgresError.self) {
                    try await connection.withTransaction { connection async throws in
                        // The failure is swallowed, but the transaction is aborted on the server.
                        _ = try? await connection.query("SELECT 1 / 0")
                    }
                }
                #expect(error?.code == .transactionRolledBack)
                #expect(connection.isUsable)
            }
        }

        @Test func aTransactionLeftOpenMakesTheConnectionUnusable() async throws {
            try await TestServer.withConnection { connection async throws in
                try await connection.query("BEGIN")
                #expect(!connection.isUsable)
                try await connection.query("ROLLBACK")
                #expect(connection.isUsable)
            }
        }
    }
}
