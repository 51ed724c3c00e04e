import Foundation
import JaanPool
import JaanPostgres
import JaanPostgresServer
import Testing

extension PostgresTests {
    @Suite struct TaskExecutorTests {
        /// The name of the thread the calling code runs on.
        static func currentThreadName() -> String? { Thread.current.name }

        @Test func tasksPreferringTheClientsExecutorReadResultsOnTheReactorThread() async throws {
            try await PostgresClientTests.withClient(try TestServer.server.connectionString()) { client in
                let (sum, threads) = try await withThrowingTaskGroup(of: (Int, Set<String>).self) { group in
                    for id in 0..<16 {
                        group.addTask(executorPreference: client.taskExecutor) {
                            var sum = 0
                            var threads: Set<String> = []
                            for round in 0..<20 {
                                sum += try await client.query("SELECT \(id * 100 + round)::int8 AS n")[0].decode(Int.self, column: "n")
                                threads.insert(Self.currentThreadName() ?? "unnamed")
                            }
                            return (sum, threads)
                        }
                    }
                    return try await group.reduce(into: (0, Set<String>())) { total, task in
                        total.0 += task.0
                        total.1.formUnion(task.1)
                    }
                }
                #expect(sum == (0..<16).reduce(0) { total, id in total + (0..<20).reduce(0) { $0 + id * 100 + $1 } })
                // Every statement's result was read, and the task went on, on the one reactor thread.
                #expect(threads == ["jaan-pg-reactor"])
            }
        }

        @Test func aTaskOnTheClientsExecutorCancelledMidQueryGivesTheConnectionBackHealthy() async throws {
            try await PostgresClientTests.withClient(try TestServer.server.connectionString(), configure: { $0.pool.maximumConnections = 1 }) {
                client in
                let marker = "SELECT pg_sleep(10) AS \"\(TestServer.uniqueName())\""
                let started = ContinuousClock.now
                let error = try await CancellationTests.cancelWhenRunning(marker) {
                    try await withTaskExecutorPreference(client.taskExecutor) {
                        try await client.query(PostgresQuery(unsafeSQL: marker))
                    }
                }
                #expect(error is CancellationError)
                #expect(ContinuousClock.now - started < .seconds(8))
                let value = try await withTaskExecutorPreference(client.taskExecutor) {
                    try await client.query("SELECT 3 AS n")[0].decode(Int.self, column: "n")
                }
                #expect(value == 3)
            }
        }

        @Test func rowsDecodeWithKeysAskedInAnyOrderAndRepeated() async throws {
            struct Reordered: Decodable {
                var b: Int
                var a: String
                var missing: Int?
                enum CodingKeys: String, CodingKey { case b, a, missing }
                init(from decoder: any Decoder) throws {
                    let container = try decoder.container(keyedBy: CodingKeys.self)
                    // Asked out of column order, one twice, one absent: the remembered lookup must still match.
                    b = try container.decode(Int.self, forKey: .b)
                    a = try container.decode(String.self, forKey: .a)
                    b += try container.decode(Int.self, forKey: .b)
                    missing = container.contains(.missing) ? try container.decode(Int.self, forKey: .missing) : nil
                }
            }
            try await TestServer.withConnection { connection in
                let rows = try await connection.query("SELECT 'x' || g AS a, g AS b FROM generate_series(1, 5) AS g").decode(Reordered.self)
                #expect(rows.map(\.a) == ["x1", "x2", "x3", "x4", "x5"])
                #expect(rows.map(\.b) == [2, 4, 6, 8, 10])
                #expect(rows.allSatisfy { $0.missing == nil })
            }
        }
    }
}
