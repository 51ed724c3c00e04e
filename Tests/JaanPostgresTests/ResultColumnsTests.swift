import CLibPQ
import Foundation
import Testing

@testable import JaanPostgres

/// A result's columns, read without a server from results libpq builds in memory.
@Suite struct ResultColumnsTests {
    /// A result with one column per `(name, type)`.
    private func result(_ columns: [(name: String, type: PostgresDataType)]) -> OpaquePointer {
        let result = PQmakeEmptyPGresult(nil, PGRES_TUPLES_OK)!
        // libpq copies the names into the result.
        let names = columns.map { strdup($0.name) }
        defer { names.forEach { free($0) } }
        var attributes = columns.indices.map { index in
            PGresAttDesc(name: names[index], tableid: 0, columnid: 0, format: 0, typid: columns[index].type.oid, typlen: -1, atttypmod: -1)
        }
        precondition(PQsetResultAttrs(result, Int32(attributes.count), &attributes) == 1)
        return result
    }

    @Test func mapsNamesAndTheirCamelCaseToPositions() {
        let columns = ResultHandle(result([("id", .int8), ("created_at", .timestamptz), ("id", .text)])).columns
        #expect(columns.names == ["id", "created_at", "id"])
        #expect(columns.types == [.int8, .timestamptz, .text])
        #expect(columns.positions(for: .useDefaultKeys) == ["id": 0, "created_at": 1])
        #expect(columns.positions(for: .convertFromSnakeCase) == ["id": 0, "created_at": 1, "createdAt": 1])
    }

    @Test func aResultWithTheSameColumnsSharesThem() {
        let first = ResultHandle(result([("id", .int8), ("name", .text)]))
        let second = ResultHandle(result([("id", .int8), ("name", .text)]), columns: first.columns)
        #expect(second.columns === first.columns)
    }

    @Test func aResultWithOtherColumnsReadsItsOwn() {
        let first = ResultHandle(result([("id", .int8), ("name", .text)]))
        let retyped = ResultHandle(result([("id", .int8), ("name", .int4)]), columns: first.columns)
        let longer = ResultHandle(result([("id", .int8), ("name", .text), ("email", .text)]), columns: first.columns)
        let empty = ResultHandle(result([]), columns: first.columns)
        #expect(retyped.columns !== first.columns)
        #expect(retyped.columns.types == [.int8, .int4])
        #expect(longer.columns.names == ["id", "name", "email"])
        #expect(empty.columns.names.isEmpty)
    }
}

extension PostgresTests {
    @Suite struct PreparedColumnsTests {
        @Test func aPreparedStatementsResultsShareTheirColumns() async throws {
            try await TestServer.withConnection { connection async throws in
                let first = try await connection.query("SELECT \(1) AS id, now() AS created_at")
                let second = try await connection.query("SELECT \(2) AS id, now() AS created_at")
                let other = try await connection.query("SELECT \(3) AS id, now() AS updated_at")
                #expect(second.result.columns === first.result.columns)
                #expect(other.result.columns !== first.result.columns)
                #expect(try second[0].decode(Int.self, column: "id") == 2)
            }
        }

        @Test func aPipelinesPreparedStatementsShareTheirColumns() async throws {
            try await TestServer.withConnection { connection async throws in
                let first = try await connection.pipeline(["SELECT \(1) AS n", "SELECT \("a") AS s"])
                let second = try await connection.pipeline(["SELECT \(2) AS n", "SELECT \("b") AS s"])
                #expect(second[0].result.columns === first[0].result.columns)
                #expect(second[1].result.columns === first[1].result.columns)
                #expect(try second[1][0].decode(String.self, column: "s") == "b")
            }
        }
    }
}
