import Foundation
import JaanPostgres
import Testing

extension PostgresTests {
    /// Hostile values through every API that takes values or names: none may change a statement.
    @Suite struct SafetyTests {
        static let attacks = [
            "'; DROP TABLE victims; --",
            "\\'; DROP TABLE victims; --",
            "1 OR 1=1",
            "$1",
            "'); DELETE FROM victims; --",
            "\"; DROP TABLE victims; --",
            "x\u{301}\"; DROP TABLE victims; --",
            "\\.\nDROP TABLE victims;\n",
            "tab\tnew\nline\rreturn\\backslash",
        ]

        @Test(arguments: attacks)
        func hostileValuesStayDataThroughBindsAndCopy(_ attack: String) async throws {
            let table = TestServer.uniqueName("victims")
            try await TestServer.withConnection { connection async throws in
                try await connection.query("CREATE TABLE \(identifier: table) (id int, name text)")
                try await connection.query("INSERT INTO \(identifier: table) (id, name) VALUES (\(1), \(attack))")
                let copied = try await connection.copyFrom(table: table, columns: ["id", "name"]) { writer in
                    try await writer.write(2, attack)
                }
                #expect(copied == 1)
                try await connection.withTransaction { connection async throws in
                    try await connection.query("INSERT INTO \(identifier: table) (id, name) VALUES (\(3), \(attack))")
                }
                let matches = try await connection.query("SELECT id FROM \(identifier: table) WHERE name = \(attack) ORDER BY id")
                #expect(try matches.map { try $0.decode(Int.self, column: "id") } == [1, 2, 3])
                let json = try await connection.query("SELECT \(PostgresJSON([attack])) AS doc")
                #expect(try json[0].decode(PostgresJSON<[String]>.self, column: "doc").value == [attack])
                try await connection.query("DROP TABLE \(identifier: table)")
            }
        }

        @Test(arguments: attacks)
        func hostileNamesStayIdentifiers(_ attack: String) async throws {
            let table = TestServer.uniqueName("victims") + attack
            try await TestServer.withConnection { connection async throws in
                try await connection.query("CREATE TABLE \(identifier: table) (\(identifier: attack) text)")
                let copied = try await connection.copyFrom(table: table, columns: [attack]) { writer in try await writer.write(attack) }
                #expect(copied == 1)
                let rows = try await connection.query("SELECT \(identifier: attack) FROM \(identifier: table)")
                #expect(try rows[0].decode(String.self, at: 0) == attack)
                #expect(rows.columnNames == [attack])
                try await connection.query("DROP TABLE \(identifier: table)")
            }
        }

        @Test func valuesWithNulCharactersAreRejectedBeforeSending() async throws {
            try await TestServer.withConnection { connection async throws in
                let bind = await #expect(throws: PostgresError.self) { try await connection.query("SELECT \("a\u{0}b") AS x") }
                #expect(bind?.code == .invalidBind)
                let name = await #expect(throws: PostgresError.self) { try await connection.query("SELECT 1 AS \(identifier: "a\u{0}b")") }
                #expect(name?.code == .invalidBind)
                let table = TestServer.uniqueName()
                try await connection.query("CREATE TABLE \(identifier: table) (name text)")
                let copy = await #expect(throws: PostgresError.self) {
                    try await connection.copyFrom(table: table, columns: ["name"]) { writer in try await writer.write("a\u{0}b") }
                }
                #expect(copy?.code == .invalidBind)
                #expect(try await connection.query("SELECT count(*) AS n FROM \(identifier: table)")[0].decode(Int.self, column: "n") == 0)
                #expect(connection.isUsable)
            }
        }

        @Test func stringLiteralQueriesHaveNoBinds() {
            let query: PostgresQuery = "SELECT 1"
            #expect(query.binds.count == 0)
            let name = "x'y"
            let interpolated: PostgresQuery = "SELECT \(name), \(identifier: "a\"b")"
            #expect(interpolated.sql == "SELECT $1, \"a\"\"b\"")
            #expect(interpolated.binds.count == 1)
        }
    }
}
