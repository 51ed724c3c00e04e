import JaanPool
import JaanPoolTesting
import MetricsTestKit
import Testing

/// The pool's swift-metrics figures, through a factory given to this pool alone (no global bootstrap).
@Suite(.timeLimit(.minutes(2))) struct ConnectionPoolMetricsTests {
    @Test func gaugesCountersAndTimerArePublished() async throws {
        let metrics = TestMetrics()
        let clock = ManualClock()
        var configuration = ConnectionPoolConfiguration.testing(maximum: 1)
        configuration.name = "orders"
        let source = FakeConnectionSource()
        let pool = ConnectionPool(source: source, configuration: configuration, clock: clock, metricsFactory: metrics, logger: testLogger)
        let pool_ = [("pool", "orders")]
        try await withRunningPool(pool) { pool async throws in
            let holder = await HeldConnection.hold(from: pool)
            #expect(try metrics.expectGauge("jaan_pool_connections", pool_ + [("state", "leased")]).lastValue == 1)
            #expect(try metrics.expectGauge("jaan_pool_connections", pool_ + [("state", "open")]).lastValue == 1)
            let waiter = Task { try await pool.withConnection { _ in } }
            await waitUntil { pool.statistics.waiters == 1 }
            #expect(try metrics.expectGauge("jaan_pool_waiters", pool_).lastValue == 1)
            clock.advance(by: .seconds(300))
            await #expect(throws: PoolError.self) { try await waiter.value }
            #expect(try metrics.expectCounter("jaan_pool_acquire_timeouts_total", pool_).totalValue == 1)
            try await holder.release()
            #expect(try metrics.expectGauge("jaan_pool_connections", pool_ + [("state", "idle")]).lastValue == 1)
            #expect(try metrics.expectTimer("jaan_pool_acquire_duration", pool_).values.count == 1)

            try await pool.withConnection { $0.markBroken() }
            #expect(try metrics.expectCounter("jaan_pool_broken_connections_total", pool_).totalValue == 1)
            await source.connections[0].waitUntilClosed()
            source.behavior = .failing(FakeConnectError())
            await #expect(throws: PoolError.self) { try await pool.withConnection { _ in } }
            #expect(try metrics.expectCounter("jaan_pool_open_failures_total", pool_).totalValue == 1)
        }
    }
}
