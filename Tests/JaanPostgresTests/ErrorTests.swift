import Foundation
import JaanPostgres
import Testing

extension PostgresTests {
    @Suite struct ErrorTests {
        @Test func uniqueViolationCarriesStateConstraintAndDetailButDescriptionLeaksNothing() async throws {
            let table = TestServer.uniqueName("users")
            try await TestServer.withConnection { connection async throws in
                try await connection.query(
                    "CREATE TABLE \(identifier: table) (email text CONSTRAINT \(identifier: table + "_email_key") UNIQUE)"
                )
                try await connection.query("INSERT INTO \(identifier: table) (email) VALUES (\("ann@example.com"))")
                let error = await #expect(throws: PostgresError.self) {
                    try await connection.query("INSERT INTO \(identifier: table) (email) VALUES (\("ann@example.com"))")
                }
                #expect(error?.code == .server)
                #expect(error?.sqlState == .uniqueViolation)
                #expect(error?.constraint == table + "_email_key")
                #expect(error?.table == table)
                #expect(error?.detail?.contains("ann@example.com") == true)
                #expect(error?.message?.isEmpty == false)
                #expect(error?.description == "PostgresError(code: server, sqlState: 23505)")
                #expect(connection.isUsable)
                #expect(try await connection.query("SELECT 1 AS one")[0].decode(Int.self, column: "one") == 1)
            }
        }

        @Test func syntaxErrorsCarryHintsAndKeepTheConnection() async throws {
            try await TestServer.withConnection { connection async throws in
                let syntax = await #expect(throws: PostgresError.self) { try await connection.query("SELEC 1") }
                #expect(syntax?.sqlState == .syntaxError)
                let missing = await #expect(throws: PostgresError.self) { try await connection.query("SELECT * FROM no_such_table_here") }
                #expect(missing?.sqlState == .undefinedTable)
                let hinted = await #expect(throws: PostgresError.self) { try await connection.query("SELECT 1 + 'a'::text") }
                #expect(hinted?.hint?.isEmpty == false)
                #expect(connection.isUsable)
            }
        }

        @Test func statementTimeoutIsAServerErrorNotACancellation() async throws {
            try await TestServer.withConnection(configure: { $0.statementTimeout = .milliseconds(100) }) { connection async throws in
                let error = await #expect(throws: PostgresError.self) { try await connection.query("SELECT pg_sleep(5)") }
                #expect(error?.sqlState == .queryCanceled)
                #expect(connection.isUsable)
            }
        }

        @Test func plainCopyStatementIsRefusedAndTheConnectionRecovers() async throws {
            let table = TestServer.uniqueName()
            try await TestServer.withConnection { connection async throws in
                try await connection.query("CREATE TABLE \(identifier: table) (id int)")
                let error = await #expect(throws: PostgresError.self) {
                    try await connection.query(PostgresQuery(unsafeSQL: "COPY \(table) FROM STDIN"))
                }
                #expect(error?.code == .unexpectedResult)
                #expect(try await connection.query("SELECT 5 AS n")[0].decode(Int.self, column: "n") == 5)
            }
        }

        @Test func copyToStdoutIsRefusedAndTheConnectionIsNotReused() async throws {
            try await TestServer.withConnection { connection async throws in
                let error = await #expect(throws: PostgresError.self) {
                    try await connection.query("COPY (SELECT 1) TO STDOUT")
                }
                #expect(error?.code == .unexpectedResult)
                // The server is mid-COPY: the connection is left in a state it cannot vouch for, so it goes.
                #expect(!connection.isUsable)
            }
        }
    }
}
