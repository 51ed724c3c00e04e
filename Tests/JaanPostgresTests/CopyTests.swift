import Foundation
import JaanPostgres
import Testing

extension PostgresTests {
    @Suite struct CopyTests {
        @Test func copiesAMillionRows() async throws {
            let table = TestServer.uniqueName()
            let total = 1_000_000
            try await TestServer.withConnection { connection async throws in
                try await connection.query("CREATE UNLOGGED TABLE \(identifier: table) (id int8, label text)")
                let copied = try await connection.copyFrom(table: table, columns: ["id", "label"]) { writer in
                    for id in 0..<total { try await writer.write(id, "r") }
                }
                #expect(copied == total)
                let row = try await connection.query("SELECT count(*) AS n, sum(id)::int8 AS s FROM \(identifier: table)")[0]
                #expect(try row.decode(Int.self, column: "n") == total)
                #expect(try row.decode(Int.self, column: "s") == total * (total - 1) / 2)
            }
        }

        @Test func copiesEveryTypeAndNulls() async throws {
            let table = TestServer.uniqueName()
            let id = UUID()
            let date = Date(timeIntervalSince1970: 1_234_567_890.5)
            try await TestServer.withConnection { connection async throws in
                try await connection.query(
                    "CREATE TABLE \(identifier: table) (a int, b bool, c float8, d text, e uuid, f timestamptz, g bytea, h jsonb)"
                )
                try await connection.copyFrom(table: table, columns: ["a", "b", "c", "d", "e", "f", "g", "h"]) { writer in
                    try await writer.write(1, true, 0.5, "a\\b\tc\nd\re", id, date, Data([0, 1, 255]), PostgresJSON(["k": "v"]))
                    try await writer.write(
                        Int?.none, Bool?.none, Double?.none, String?.none, UUID?.none, Date?.none, Data?.none, PostgresJSON<[String: String]>?.none
                    )
                }
                let rows = try await connection.query("SELECT * FROM \(identifier: table) ORDER BY a NULLS LAST")
                #expect(try rows[0].decode(String.self, column: "d") == "a\\b\tc\nd\re")
                #expect(try rows[0].decode(UUID.self, column: "e") == id)
                #expect(try rows[0].decode(Date.self, column: "f") == date)
                #expect(try rows[0].decode(Data.self, column: "g") == Data([0, 1, 255]))
                #expect(try rows[0].decode(PostgresJSON<[String: String]>.self, column: "h").value == ["k": "v"])
                #expect(try rows[1].decode(Int?.self, column: "a") == nil)
                #expect(try rows[1].decode(String?.self, column: "d") == nil)
            }
        }

        @Test func aThrowingWriterLoadsNothing() async throws {
            struct Stop: Error {}
            let table = TestServer.uniqueName()
            try await TestServer.withConnection { connection async throws in
                try await connection.query("CREATE TABLE \(identifier: table) (id int)")
                await #expect(throws: Stop.self) {
                    try await connection.copyFrom(table: table, columns: ["id"]) { writer in
                        for id in 0..<100_000 { try await writer.write(id) }
                        throw Stop()
                    }
                }
                #expect(connection.isUsable)
                #expect(try await connection.query("SELECT count(*) AS n FROM \(identifier: table)")[0].decode(Int.self, column: "n") == 0)
            }
        }

        @Test func badDataIsAServerErrorAndTheConnectionRecovers() async throws {
            let table = TestServer.uniqueName()
            try await TestServer.withConnection { connection async throws in
                try await connection.query("CREATE TABLE \(identifier: table) (id int)")
                let error = await #expect(throws: PostgresError.self) {
                    try await connection.copyFrom(table: table, columns: ["id"]) { writer in try await writer.write("not a number") }
                }
                #expect(error?.sqlState == .invalidTextRepresentation)
                #expect(try await connection.query("SELECT 1 AS n")[0].decode(Int.self, column: "n") == 1)
            }
        }
    }
}
