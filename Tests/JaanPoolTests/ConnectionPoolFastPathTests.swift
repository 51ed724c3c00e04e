import JaanPool
import JaanPoolTesting
import Logging
import Testing

/// Leases and returns that take the fast path (an idle connection, no one waiting) still feed every limit, with
/// stamps read from the injected clock.
@Suite struct ConnectionPoolFastPathTests {
    @Test func connectionKeptIdleByTheFastPathTimesOutFromItsOwnStamp() async throws {
        let clock = ManualClock()
        let source = FakeConnectionSource()
        let pool = ConnectionPool(source: source, configuration: .testing(minimum: 0, maximum: 2), clock: clock, logger: testLogger)
        try await withRunningPool(pool) { pool async throws in
            let first = await HeldConnection.hold(from: pool)
            let second = await HeldConnection.hold(from: pool)
            // The first comes back at t=0 and starts the idle timeout; the second, kept idle by the fast path,
            // at t=10.
            try await first.release()
            clock.advance(by: .seconds(10))
            try await second.release()
            #expect(pool.statistics.idle == 2)
            clock.advance(by: .seconds(20))
            await waitUntil { source.openConnections == 1 }
            #expect(pool.statistics.idle == 1)
            clock.advance(by: .seconds(10))
            await waitUntil { source.openConnections == 0 }
            #expect(pool.statistics.open == 0)
        }
    }

    @Test func leaseTakenByTheFastPathIsWatchedForLeaks() async throws {
        let clock = ManualClock()
        let messages = Recorder<(level: Logger.Level, message: String)>()
        let logger = Logger(label: "leak", factory: { _ in RecordingLogHandler(messages: messages) })
        var configuration = ConnectionPoolConfiguration.testing(minimum: 2, maximum: 2)
        configuration.leakWarningThreshold = .seconds(10)
        let pool = ConnectionPool(source: FakeConnectionSource(), configuration: configuration, clock: clock, logger: logger)
        let leakWarnings = { messages.all.filter { $0.level == .warning && $0.message.contains("leak") }.count }
        try await withRunningPool(pool) { pool async throws in
            await waitUntil { pool.statistics.idle == 2 }
            // The first lease arms the leak check; the second, at t=5, finds it armed and takes the fast path.
            let first = await HeldConnection.hold(from: pool)
            clock.advance(by: .seconds(5))
            let second = await HeldConnection.hold(from: pool)
            clock.advance(by: .seconds(5))
            await waitUntil { leakWarnings() == 1 }
            clock.advance(by: .seconds(5))
            await waitUntil { leakWarnings() == 2 }
            try await first.release()
            try await second.release()
        }
    }

    @Test func connectionPastItsLifetimeIsNotLentByTheFastPath() async throws {
        let clock = ManualClock()
        let source = FakeConnectionSource()
        var configuration = ConnectionPoolConfiguration.testing(minimum: 0, maximum: 1)
        configuration.maximumLifetime = .seconds(60)
        configuration.maximumLifetimeJitter = .zero
        let pool = ConnectionPool(source: source, configuration: configuration, clock: clock, logger: testLogger)
        try await withRunningPool(pool) { pool async throws in
            #expect(try await pool.withConnection { $0.id } == 0)
            // Expired while idle: whether the lifetime timer or the borrower gets there first, the borrower gets a new
            // connection.
            clock.advance(by: .seconds(60))
            #expect(try await pool.withConnection { $0.id } == 1)
            await source.connections[0].waitUntilClosed()
        }
    }
}
