import Foundation
import JaanPool
import JaanPostgres
import JaanPostgresServer
import Logging
import Synchronization
import Testing

extension PostgresTests {
    @Suite struct PostgresClientTests {
        static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

        /// Runs a client on `connectionString` for the duration of `body`.
        static func withClient<Result: Sendable>(
            _ connectionString: String,
            configure: (inout PostgresClient.Configuration) -> Void = { _ in },
            _ body: @Sendable (PostgresClient) async throws -> Result
        ) async throws -> Result {
            var configuration = PostgresClient.Configuration(connectionString: connectionString)
            configuration.pool.minimumConnections = 1
            configuration.pool.maximumConnections = 8
            // The whole suite connects at once on a loaded machine; a first connect may take seconds.
            configuration.pool.acquireTimeout = .seconds(30)
            configuration.connection.connectTimeout = .seconds(30)
            configure(&configuration)
            let client = PostgresClient(configuration: configuration, logger: logger)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await client.run() }
                defer { group.cancelAll() }
                return try await body(client)
            }
        }

        @Test func clientRunsQueriesTransactionsAndCopiesThroughThePool() async throws {
            let table = TestServer.uniqueName()
            try await Self.withClient(try TestServer.server.connectionString()) { client in
                try await client.query("CREATE TABLE \(identifier: table) (id int PRIMARY KEY, name text)")
                try await client.copyFrom(table: table, columns: ["id", "name"]) { writer in
                    for id in 0..<100 { try await writer.write(id, "n\(id)") }
                }
                try await client.withTransaction(isolation: .repeatableRead) { connection in
                    try await connection.query("DELETE FROM \(identifier: table) WHERE id >= \(50)")
                }
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for id in 0..<40 {
                        group.addTask {
                            try await client.query("SELECT id FROM \(identifier: table) WHERE id = \(id)")[0].decode(Int.self, column: "id")
                        }
                    }
                    var sum = 0
                    for try await id in group { sum += id }
                    #expect(sum == (0..<40).reduce(0, +))
                }
                let count = try await client.withConnection { connection in
                    try await connection.query("SELECT count(*) AS n FROM \(identifier: table)")[0].decode(Int.self, column: "n")
                }
                #expect(count == 50)
                #expect(client.pool.statistics.open <= 8)
            }
        }

        @Test func aTaskCancelledMidQueryGivesTheConnectionBackHealthy() async throws {
            try await Self.withClient(try TestServer.server.connectionString(), configure: { $0.pool.maximumConnections = 1 }) { client in
                let marker = "SELECT pg_sleep(10) AS \"\(TestServer.uniqueName())\""
                let error = try await CancellationTests.cancelWhenRunning(marker) {
                    try await client.query(PostgresQuery(unsafeSQL: marker))
                }
                #expect(error is CancellationError)
                // The only connection came back and serves the next query.
                #expect(try await client.query("SELECT 3 AS n")[0].decode(Int.self, column: "n") == 3)
            }
        }

        @Test(.timeLimit(.minutes(1)))
        func clientSurvivesAServerRestartUnderLoad() async throws {
            var serverConfiguration = LocalPostgresServer.Configuration()
            serverConfiguration.settings = ["fsync": "off", "max_connections": "50"]
            let server = try await LocalPostgresServer.create(configuration: serverConfiguration)
            try await server.start()
            defer { try? server.removeFiles() }
            do {
                try await Self.withClient(server.connectionString(), configure: { $0.pool.maximumConnectBackoff = .milliseconds(200) }) { client in
                    let (outcomes, reporter) = AsyncStream.makeStream(of: Bool.self)
                    try await withThrowingTaskGroup(of: Void.self) { workers in
                        for _ in 0..<8 {
                            workers.addTask {
                                while !Task.isCancelled {
                                    do {
                                        let value = try await client.query("SELECT \(7) AS n")[0].decode(Int.self, column: "n")
                                        reporter.yield(value == 7)
                                    } catch {
                                        reporter.yield(false)
                                    }
                                }
                            }
                        }
                        var iterator = outcomes.makeAsyncIterator()
                        var successes = 0
                        while successes < 200, let outcome = await iterator.next() { successes += outcome ? 1 : 0 }
                        try await server.stop()
                        try await server.start()
                        // Connections broken by the restart fail once and are replaced; then the pool serves again.
                        var failures = 0
                        var afterRestart = 0
                        while afterRestart < 500, let outcome = await iterator.next() {
                            if outcome { afterRestart += 1 } else { failures += 1 }
                        }
                        #expect(afterRestart == 500)
                        #expect(client.pool.statistics.brokenConnections > 0 || failures > 0)
                        workers.cancelAll()
                    }
                    reporter.finish()
                    #expect(client.pool.statistics.open <= 8)
                }
            } catch {
                try? await server.stop()
                throw error
            }
            try await server.stop()
        }
    }
}
