import JaanPool
import JaanPoolTesting
import ServiceLifecycle
import Testing

/// The pool as a swift-service-lifecycle service: graceful shutdown, its deadline, and cancellation.
@Suite(.timeLimit(.minutes(2))) struct ConnectionPoolShutdownTests {
    @Test func gracefulShutdownWaitsForLeasesThenClosesEverything() async throws {
        let source = FakeConnectionSource()
        let pool = ConnectionPool(source: source, configuration: .testing(minimum: 2, maximum: 2), logger: testLogger)
        let group = ServiceGroup(services: [pool], logger: testLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            await waitUntil { pool.statistics.idle == 2 }
            let started = Gate()
            let release = Gate()
            let holder = Task {
                try await pool.withConnection { connection in
                    started.open()
                    await release.wait()
                    return connection.id
                }
            }
            await started.wait()
            await group.triggerGracefulShutdown()
            await waitUntil { source.openConnections == 1 }
            #expect(pool.statistics.isShuttingDown)
            let error = await #expect(throws: PoolError.self) { try await pool.withConnection { $0.id } }
            #expect(error?.code == .shutdown)
            #expect(pool.statistics.leased == 1)
            release.open()
            let id = try await holder.value
            try await tasks.waitForAll()
            #expect(source.connections[id].closeCount == 1)
        }
        #expect(source.connections.count == 2)
        #expect(source.connections.allSatisfy { $0.closeCount == 1 })
    }

    @Test func waitersFailWhenShutdownBegins() async throws {
        let source = FakeConnectionSource(behavior: .manual)
        let pool = ConnectionPool(source: source, configuration: .testing(maximum: 1), logger: testLogger)
        let group = ServiceGroup(services: [pool], logger: testLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let waiter = Task { try await pool.withConnection { $0.id } }
            let attempt = await source.nextConnectAttempt()
            await group.triggerGracefulShutdown()
            let error = await #expect(throws: PoolError.self) { try await waiter.value }
            #expect(error?.code == .shutdown)
            // The attempt still in flight completes; the pool closes what it opened.
            let late = attempt.succeed()
            try await tasks.waitForAll()
            #expect(late?.closeCount == 1)
        }
    }

    @Test func leasesStillOutAtTheShutdownDeadlineAreClosed() async throws {
        let clock = ManualClock()
        let source = FakeConnectionSource()
        var configuration = ConnectionPoolConfiguration.testing(maximum: 1)
        configuration.shutdownTimeout = .seconds(5)
        let pool = ConnectionPool(source: source, configuration: configuration, clock: clock, logger: testLogger)
        let group = ServiceGroup(services: [pool], logger: testLogger)
        let release = Gate()
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let started = Gate()
            tasks.addTask {
                try await pool.withConnection { _ in
                    started.open()
                    await release.wait()
                }
            }
            await started.wait()
            await group.triggerGracefulShutdown()
            await waitUntil { pool.statistics.isShuttingDown }
            clock.advance(by: .seconds(4))
            #expect(!source.connections[0].isClosed)
            clock.advance(by: .seconds(1))
            await source.connections[0].waitUntilClosed()
            // The borrower gives back a connection the pool already closed: nothing happens twice.
            release.open()
            try await tasks.waitForAll()
        }
        #expect(source.connections[0].closeCount == 1)
        #expect(pool.statistics.open == 0)
    }

    @Test func cancellingRunClosesEverythingAtOnce() async throws {
        let source = FakeConnectionSource()
        let pool = ConnectionPool(source: source, configuration: .testing(minimum: 2, maximum: 2), logger: testLogger)
        let release = Gate()
        let started = Gate()
        let holder = Task {
            try await pool.withConnection { _ in
                started.open()
                await release.wait()
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await pool.run() }
            await started.wait()
            await waitUntil { pool.statistics.open == 2 }
            tasks.cancelAll()
            try await tasks.waitForAll()
        }
        #expect(source.connections.allSatisfy { $0.closeCount == 1 })
        let error = await #expect(throws: PoolError.self) { try await pool.withConnection { _ in } }
        #expect(error?.code == .shutdown)
        release.open()
        try await holder.value
        #expect(source.connections.allSatisfy { $0.closeCount == 1 })
    }
}
