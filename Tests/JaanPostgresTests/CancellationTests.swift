import Foundation
import JaanPostgres
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension PostgresTests {
    @Suite struct CancellationTests {
        enum Outcome: Sendable {
            case operation((any Error)?)
            case running
        }

        /// Waits until the server shows `sql` running, then cancels the task that runs it.
        /// - Returns: What the operation threw, or `nil`; also when it ended before it was seen running.
        static func cancelWhenRunning<Result: Sendable>(
            _ sql: String,
            _ operation: @escaping @Sendable () async throws -> Result
        ) async throws -> (any Error)? {
            try await withThrowingTaskGroup(of: Outcome.self) { group in
                group.addTask {
                    do {
                        _ = try await operation()
                        return .operation(nil)
                    } catch {
                        return .operation(error)
                    }
                }
                group.addTask {
                    try await waitUntilActive(sql)
                    return .running
                }
                var outcome = try await group.next()!
                group.cancelAll()
                if case .running = outcome { outcome = try await group.next()! }
                guard case .operation(let error) = outcome else { return nil }
                return error
            }
        }

        static func waitUntilActive(_ sql: String) async throws {
            try await TestServer.withConnection { observer in
                // The server paces the polling, so a loaded machine is not kept busier.
                while try await observer.query(
                    "SELECT count(*) AS n FROM pg_stat_activity, pg_sleep(0.01) WHERE query = \(sql) AND state = 'active'"
                )[0].decode(Int.self, column: "n") == 0 {}
            }
        }

        @Test func cancellingTheTaskCancelsTheStatementAndKeepsTheConnection() async throws {
            try await TestServer.withConnection { connection async throws in
                let marker = "SELECT pg_sleep(10) AS \"\(TestServer.uniqueName())\""
                let started = ContinuousClock.now
                let error = try await Self.cancelWhenRunning(marker) {
                    try await connection.query(PostgresQuery(unsafeSQL: marker))
                }
                #expect(error is CancellationError)
                #expect(ContinuousClock.now - started < .seconds(5))
                #expect(connection.isUsable)
                #expect(try await connection.query("SELECT 42 AS n")[0].decode(Int.self, column: "n") == 42)
            }
        }

        @Test func anAlreadyCancelledTaskDoesNotTouchTheConnection() async throws {
            try await TestServer.withConnection { connection async throws in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.cancelAll()
                    group.addTask {
                        await #expect(throws: CancellationError.self) { try await connection.query("SELECT 1") }
                    }
                    try await group.waitForAll()
                }
                #expect(connection.isUsable)
                #expect(try await connection.query("SELECT 1 AS n")[0].decode(Int.self, column: "n") == 1)
            }
        }

        @Test func aServerThatIgnoresTheCancelGetsTheConnectionDiscarded() async throws {
            try await TestServer.withConnection(configure: { $0.cancelDrainTimeout = .milliseconds(300) }) { connection async throws in
                let pid = try await connection.query("SELECT pg_backend_pid() AS pid")[0].decode(Int32.self, column: "pid")
                let marker = "SELECT pg_sleep(10) AS \"\(TestServer.uniqueName())\""
                let error = try await withThrowingTaskGroup(of: (any Error)?.self) { group in
                    group.addTask {
                        do {
                            _ = try await connection.query(PostgresQuery(unsafeSQL: marker))
                            return nil
                        } catch {
                            return error
                        }
                    }
                    try await Self.waitUntilActive(marker)
                    // The backend stops answering: the cancel is delivered but never acted on.
                    kill(pid, SIGSTOP)
                    group.cancelAll()
                    let error = try await group.next()!
                    kill(pid, SIGCONT)
                    return error
                }
                #expect((error as? PostgresError)?.code == .connectionClosed)
                #expect(!connection.isUsable)
                await #expect(throws: PostgresError.self) { try await connection.query("SELECT 1") }
            }
        }

        @Test func cancellingACopyLoadsNothingAndKeepsTheConnection() async throws {
            let table = TestServer.uniqueName()
            try await TestServer.withConnection { connection async throws in
                try await connection.query("CREATE TABLE \(identifier: table) (id int)")
                let error = try await withThrowingTaskGroup(of: (any Error)?.self) { group in
                    group.addTask {
                        do {
                            try await connection.copyFrom(table: table, columns: ["id"]) { writer in
                                var id = 0
                                while true {
                                    try await writer.write(id)
                                    id += 1
                                }
                            }
                            return nil
                        } catch {
                            return error
                        }
                    }
                    try await TestServer.withConnection { observer in
                        while try await observer.query(
                            "SELECT count(*) AS n FROM pg_stat_activity, pg_sleep(0.01) WHERE query LIKE 'COPY %' AND query LIKE \("%" + table + "%")"
                        )[0].decode(Int.self, column: "n") == 0 {}
                    }
                    group.cancelAll()
                    return try await group.next()!
                }
                #expect(error is CancellationError)
                #expect(connection.isUsable)
                #expect(try await connection.query("SELECT count(*) AS n FROM \(identifier: table)")[0].decode(Int.self, column: "n") == 0)
            }
        }
    }
}
