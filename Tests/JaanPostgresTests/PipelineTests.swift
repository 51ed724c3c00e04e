import Foundation
import JaanPostgres
import Testing

extension PostgresTests {
    @Suite struct PipelineTests {
        @Test func aPipelineReturnsEachStatementsRowsInOrder() async throws {
            let table = TestServer.uniqueName()
            try await TestServer.withConnection { connection in
                try await connection.query("CREATE TABLE \(identifier: table) (id int PRIMARY KEY, name text)")
                let hostile = "x'); DROP TABLE \(table); --"
                // Twice: first with statements to prepare, then from the statement cache.
                for round in 0..<2 {
                    let results = try await connection.pipeline([
                        "INSERT INTO \(identifier: table) (id, name) VALUES (\(round * 10 + 1), \(hostile)), (\(round * 10 + 2), \("b"))",
                        "SELECT name FROM \(identifier: table) WHERE id = \(round * 10 + 1)",
                        "SELECT g AS n FROM generate_series(1, \(3)) AS g",
                    ])
                    #expect(results.count == 3)
                    #expect(results[0].affectedRows == 2)
                    #expect(try results[1][0].decode(String.self, column: "name") == hostile)
                    #expect(try results[2].map { try $0.decode(Int.self, column: "n") } == [1, 2, 3])
                }
                #expect(try await connection.query("SELECT count(*) AS n FROM \(identifier: table)")[0].decode(Int.self, column: "n") == 4)
                #expect(try await connection.pipeline([]).isEmpty)
            }
        }

        @Test func aFailingStatementRollsBackThePipelineAndLeavesTheConnectionReady() async throws {
            let table = TestServer.uniqueName()
            try await TestServer.withConnection { connection in
                try await connection.query("CREATE TABLE \(identifier: table) (id int PRIMARY KEY)")
                let error = await #expect(throws: PostgresError.self) {
                    try await connection.pipeline([
                        "INSERT INTO \(identifier: table) (id) VALUES (\(1))",
                        "INSERT INTO \(identifier: table) (id) VALUES (\(1))",
                        "INSERT INTO \(identifier: table) (id) VALUES (\(3))",
                    ])
                }
                #expect(error?.sqlState == .uniqueViolation)
                // One implicit transaction: the first insert is rolled back, the third never ran.
                #expect(try await connection.query("SELECT count(*) AS n FROM \(identifier: table)")[0].decode(Int.self, column: "n") == 0)
                #expect(connection.isUsable)
            }
        }

        @Test func aPipelineLargerThanTheStatementCacheRunsUnnamed() async throws {
            try await TestServer.withConnection(configure: { $0.preparedStatementCacheSize = 1 }) { connection in
                let results = try await connection.pipeline([
                    "SELECT \(1)::int8 AS a", "SELECT \(2)::int8 AS b", "SELECT \(3)::int8 AS c",
                ])
                #expect(try results.map { try $0[0].decode(Int.self, at: 0) } == [1, 2, 3])
                #expect(try await connection.query("SELECT \(4)::int8 AS d")[0].decode(Int.self, at: 0) == 4)
            }
        }

        @Test func cancellingAPipelineCancelsItsRunningStatement() async throws {
            try await TestServer.withConnection { connection async throws in
                let marker = "SELECT pg_sleep(10) AS \"\(TestServer.uniqueName())\""
                let started = ContinuousClock.now
                let error = try await CancellationTests.cancelWhenRunning(marker) {
                    try await connection.pipeline(["SELECT 1 AS n", PostgresQuery(unsafeSQL: marker), "SELECT 2 AS n"])
                }
                #expect(error is CancellationError)
                #expect(ContinuousClock.now - started < .seconds(8))
                #expect(connection.isUsable)
                #expect(try await connection.pipeline(["SELECT 42 AS n"])[0][0].decode(Int.self, column: "n") == 42)
            }
        }

        @Test func copyInAPipelineFailsWithoutHanging() async throws {
            let table = TestServer.uniqueName()
            try await TestServer.withConnection { connection in
                try await connection.query("CREATE TABLE \(identifier: table) (id int)")
                await #expect(throws: PostgresError.self) {
                    try await connection.pipeline([PostgresQuery(unsafeSQL: "COPY \(table) FROM STDIN")])
                }
                if connection.isUsable {
                    #expect(try await connection.query("SELECT 5 AS n")[0].decode(Int.self, column: "n") == 5)
                }
            }
        }
    }
}
