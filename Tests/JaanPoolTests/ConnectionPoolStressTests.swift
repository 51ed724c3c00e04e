import JaanPool
import JaanPoolTesting
import Synchronization
import Testing

/// Thousands of borrowers on a small pool: nothing lent twice, nothing leaked, every connection closed once.
@Suite(.timeLimit(.minutes(2))) struct ConnectionPoolStressTests {
    struct BodyError: Error {}

    /// Counters shared by the borrowers.
    final class Counters: Sendable {
        let inUse = Atomic(0)
        let peak = Atomic(0)
        let unexpected = Atomic(0)
    }

    static func configuration(maximum: Int) -> ConnectionPoolConfiguration {
        .testing(minimum: 2, maximum: maximum)
    }

    @Test func thousandsOfBorrowersLeaveEveryConnectionAccountedFor() async throws {
        let maximum = 5
        let borrowers = 5_000
        let source = FakeConnectionSource()
        let pool = ConnectionPool(source: source, configuration: Self.configuration(maximum: maximum), logger: testLogger)
        let counters = Counters()
        try await withRunningPool(pool) { pool async throws in
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<borrowers {
                    group.addTask {
                        do {
                            try await pool.withConnection { connection in
                                let now = counters.inUse.add(1, ordering: .relaxed).newValue
                                defer { counters.inUse.subtract(1, ordering: .relaxed) }
                                _ = counters.peak.max(now, ordering: .relaxed)
                                await Task.yield()
                                if index % 97 == 0 { connection.markBroken() }
                                if index % 89 == 0 { throw BodyError() }
                            }
                        } catch is BodyError {
                        } catch {
                            counters.unexpected.add(1, ordering: .relaxed)
                        }
                    }
                }
            }
            let statistics = pool.statistics
            #expect(statistics.leased == 0)
            #expect(statistics.waiters == 0)
            #expect(statistics.open <= maximum)
            #expect(statistics.leases >= borrowers)
            #expect(statistics.brokenConnections == (0..<borrowers).filter { $0 % 97 == 0 }.count)
        }
        #expect(counters.unexpected.load(ordering: .relaxed) == 0)
        #expect(counters.peak.load(ordering: .relaxed) <= maximum)
        #expect(source.connections.allSatisfy { $0.closeCount == 1 })
        #expect(pool.statistics.open == 0)
    }

    @Test func cancelledBorrowersAmongThousandsLeakNothing() async throws {
        let maximum = 4
        let source = FakeConnectionSource()
        let pool = ConnectionPool(source: source, configuration: Self.configuration(maximum: maximum), logger: testLogger)
        let counters = Counters()
        try await withRunningPool(pool) { pool async throws in
            let tasks = (0..<3_000).map { _ in
                Task {
                    try await pool.withConnection { _ in await Task.yield() }
                }
            }
            for (index, task) in tasks.enumerated() where index % 3 == 0 {
                task.cancel()
            }
            for task in tasks {
                do {
                    try await task.value
                } catch is CancellationError {
                } catch {
                    counters.unexpected.add(1, ordering: .relaxed)
                }
            }
            let statistics = pool.statistics
            #expect(statistics.leased == 0)
            #expect(statistics.waiters == 0)
            #expect(statistics.idle == statistics.open)
        }
        #expect(counters.unexpected.load(ordering: .relaxed) == 0)
        #expect(source.connections.allSatisfy { $0.closeCount == 1 })
    }
}
