import JaanPool
import JaanPoolTesting
import Logging
import Testing

/// The pool with a fake source: lending, giving back, waiting, failing and replacing.
@Suite(.timeLimit(.minutes(2))) struct ConnectionPoolTests {
    @Test func connectionIsLentAndTakenBack() async throws {
        let source = FakeConnectionSource()
        let pool = ConnectionPool(source: source, configuration: .testing(), logger: testLogger)
        try await withRunningPool(pool) { pool async throws in
            let id = try await pool.withConnection { connection in
                #expect(pool.statistics.leased == 1)
                return connection.id
            }
            #expect(id == 0)
            #expect(pool.statistics.leased == 0)
            #expect(pool.statistics.idle == 1)
            #expect(pool.statistics.leases == 1)
        }
        #expect(source.connections.allSatisfy { $0.closeCount == 1 })
    }

    @Test func connectionIsTakenBackWhenTheBodyThrows() async throws {
        struct BodyError: Error {}
        let source = FakeConnectionSource()
        let pool = ConnectionPool(source: source, configuration: .testing(maximum: 1), logger: testLogger)
        try await withRunningPool(pool) { pool async throws in
            await #expect(throws: BodyError.self) {
                try await pool.withConnection { _ in throw BodyError() }
            }
            #expect(pool.statistics.leased == 0)
            #expect(try await pool.withConnection { $0.id } == 0)
        }
    }

    @Test func connectionIsTakenBackWhenTheBorrowerIsCancelled() async throws {
        let source = FakeConnectionSource()
        let pool = ConnectionPool(source: source, configuration: .testing(maximum: 1), logger: testLogger)
        let idle = ManualClock()
        try await withRunningPool(pool) { pool async throws in
            let started = Gate()
            let borrower = Task {
                try await pool.withConnection { _ in
                    started.open()
                    try await idle.sleep(until: .init(offset: .seconds(3600)))
                }
            }
            await started.wait()
            borrower.cancel()
            await #expect(throws: CancellationError.self) { try await borrower.value }
            #expect(pool.statistics.leased == 0)
            #expect(try await pool.withConnection { $0.id } == 0)
        }
    }

    @Test func brokenConnectionIsClosedAndReplaced() async throws {
        let source = FakeConnectionSource()
        let pool = ConnectionPool(source: source, configuration: .testing(maximum: 1), logger: testLogger)
        try await withRunningPool(pool) { pool async throws in
            try await pool.withConnection { $0.markBroken() }
            await source.connections[0].waitUntilClosed()
            #expect(try await pool.withConnection { $0.id } == 1)
            #expect(pool.statistics.brokenConnections == 1)
        }
    }

    @Test func waitersAreServedFirstInFirstOut() async throws {
        let source = FakeConnectionSource()
        let pool = ConnectionPool(source: source, configuration: .testing(maximum: 1), logger: testLogger)
        let order = Recorder<String>()
        try await withRunningPool(pool) { pool async throws in
            let release = Gate()
            let started = Gate()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await pool.withConnection { _ in
                        started.open()
                        await release.wait()
                    }
                }
                await started.wait()
                for (index, name) in ["B", "C", "D"].enumerated() {
                    group.addTask { try await pool.withConnection { _ in order.append(name) } }
                    await waitUntil { pool.statistics.waiters == index + 1 }
                }
                release.open()
                try await group.waitForAll()
            }
        }
        #expect(order.all == ["B", "C", "D"])
    }

    @Test func cancelledWaiterLeavesTheQueueAndLeaksNothing() async throws {
        let source = FakeConnectionSource()
        let pool = ConnectionPool(source: source, configuration: .testing(maximum: 1), logger: testLogger)
        try await withRunningPool(pool) { pool async throws in
            let holder = await HeldConnection.hold(from: pool)
            let waiter = Task { try await pool.withConnection { $0.id } }
            await waitUntil { pool.statistics.waiters == 1 }
            waiter.cancel()
            await #expect(throws: CancellationError.self) { try await waiter.value }
            #expect(pool.statistics.waiters == 0)
            try await holder.release()
            #expect(pool.statistics.leased == 0)
            #expect(pool.statistics.idle == 1)
        }
    }

    @Test func waiterTimesOutWithExhaustedError() async throws {
        let clock = ManualClock()
        let source = FakeConnectionSource()
        let pool = ConnectionPool(source: source, configuration: .testing(maximum: 1), clock: clock, logger: testLogger)
        try await withRunningPool(pool) { pool async throws in
            let holder = await HeldConnection.hold(from: pool)
            let waiter = Task { try await pool.withConnection { $0.id } }
            await waitUntil { pool.statistics.waiters == 1 }
            clock.advance(by: .seconds(300))
            let error = await #expect(throws: PoolError.self) { try await waiter.value }
            #expect(error?.code == .exhausted)
            #expect(error?.statistics.leased == 1)
            #expect(error?.statistics.maximumConnections == 1)
            #expect(error?.description.contains("exhausted") == true)
            #expect(pool.statistics.timeouts == 1)
            try await holder.release()
        }
    }

    @Test func borrowerBeyondMaximumWaitersFailsFast() async throws {
        var configuration = ConnectionPoolConfiguration.testing(maximum: 1)
        configuration.maximumWaiters = 1
        let pool = ConnectionPool(source: FakeConnectionSource(), configuration: configuration, logger: testLogger)
        try await withRunningPool(pool) { pool async throws in
            let holder = await HeldConnection.hold(from: pool)
            let waiter = Task { try await pool.withConnection { $0.id } }
            await waitUntil { pool.statistics.waiters == 1 }
            let error = await #expect(throws: PoolError.self) { try await pool.withConnection { $0.id } }
            #expect(error?.code == .tooManyWaiters)
            try await holder.release()
            #expect(try await waiter.value == 0)
        }
    }

    @Test func failingSourceFailsWaitersThenRecovers() async throws {
        let clock = ManualClock()
        let source = FakeConnectionSource(behavior: .failing(FakeConnectError()))
        let pool = ConnectionPool(source: source, configuration: .testing(), clock: clock, logger: testLogger)
        try await withRunningPool(pool) { pool async throws in
            // Fails long before the 2 s acquire timeout, which never comes on this clock.
            let first = await #expect(throws: PoolError.self) { try await pool.withConnection { $0.id } }
            #expect(first?.code == .connectFailed)
            #expect(first?.underlying is FakeConnectError)
            #expect(first?.description.contains("FakeConnectError") == false)
            // During the back-off, at once, without a new attempt.
            let second = await #expect(throws: PoolError.self) { try await pool.withConnection { $0.id } }
            #expect(second?.code == .connectFailed)
            #expect(source.connectAttempts == 1)
            source.behavior = .immediate
            clock.advance(by: .milliseconds(100))
            #expect(try await pool.withConnection { $0.id } == 0)
            #expect(pool.statistics.openFailures == 1)
        }
    }

    @Test func connectionsOpenInTheBackgroundUpToDemand() async throws {
        let source = FakeConnectionSource(behavior: .manual)
        let pool = ConnectionPool(source: source, configuration: .testing(maximum: 2), logger: testLogger)
        try await withRunningPool(pool) { pool async throws in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<3 {
                    group.addTask { try await pool.withConnection { $0.id } }
                }
                let first = await source.nextConnectAttempt()
                let second = await source.nextConnectAttempt()
                await waitUntil { pool.statistics.waiters == 3 }
                #expect(pool.statistics.opening == 2)
                #expect(source.connectAttempts == 2)
                first.succeed()
                second.succeed()
                var ids: [Int] = []
                for try await id in group { ids.append(id) }
                #expect(ids.sorted().count == 3)
                #expect(Set(ids).isSubset(of: [0, 1]))
            }
            #expect(source.connectAttempts == 2)
        }
    }

    @Test func minimumConnectionsAreOpenedWhenRunStarts() async throws {
        let source = FakeConnectionSource()
        let pool = ConnectionPool(source: source, configuration: .testing(minimum: 3, maximum: 5), logger: testLogger)
        try await withRunningPool(pool) { pool async throws in
            await waitUntil { pool.statistics.idle == 3 }
            #expect(source.connections.count == 3)
        }
        #expect(source.openConnections == 0)
    }

    @Test func idleConnectionAboveMinimumIsClosedAfterIdleTimeout() async throws {
        let clock = ManualClock()
        let source = FakeConnectionSource()
        let pool = ConnectionPool(source: source, configuration: .testing(minimum: 1, maximum: 3), clock: clock, logger: testLogger)
        try await withRunningPool(pool) { pool async throws in
            let release = Gate()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 {
                    group.addTask { try await pool.withConnection { _ in await release.wait() } }
                }
                await waitUntil { pool.statistics.leased == 3 }
                release.open()
                try await group.waitForAll()
            }
            clock.advance(by: .seconds(29))
            #expect(pool.statistics.idle == 3)
            clock.advance(by: .seconds(1))
            await waitUntil { source.openConnections == 1 }
            #expect(pool.statistics.open == 1)
        }
    }

    @Test func connectionPastItsLifetimeIsClosedAndReplaced() async throws {
        let clock = ManualClock()
        let source = FakeConnectionSource()
        var configuration = ConnectionPoolConfiguration.testing(minimum: 1, maximum: 1)
        configuration.maximumLifetime = .seconds(60)
        configuration.maximumLifetimeJitter = .zero
        let pool = ConnectionPool(source: source, configuration: configuration, clock: clock, logger: testLogger)
        try await withRunningPool(pool) { pool async throws in
            await waitUntil { pool.statistics.idle == 1 }
            clock.advance(by: .seconds(60))
            await source.connections[0].waitUntilClosed()
            await waitUntil { pool.statistics.idle == 1 }
            #expect(try await pool.withConnection { $0.id } == 1)
        }
    }

    @Test func connectionIdlePastValidationThresholdIsValidated() async throws {
        let clock = ManualClock()
        let source = FakeConnectionSource()
        var configuration = ConnectionPoolConfiguration.testing(maximum: 1)
        configuration.validationThreshold = .seconds(5)
        let pool = ConnectionPool(source: source, configuration: configuration, clock: clock, logger: testLogger)
        try await withRunningPool(pool) { pool async throws in
            #expect(try await pool.withConnection { $0.id } == 0)
            #expect(try await pool.withConnection { $0.id } == 0)
            #expect(source.validations == 0)
            clock.advance(by: .seconds(5))
            #expect(try await pool.withConnection { $0.id } == 0)
            #expect(source.validations == 1)
            source.connections[0].passesValidation = false
            clock.advance(by: .seconds(5))
            #expect(try await pool.withConnection { $0.id } == 1)
            #expect(source.validations == 2)
            await source.connections[0].waitUntilClosed()
        }
    }

    @Test func leaseHeldPastThresholdIsLoggedAsLeak() async throws {
        let clock = ManualClock()
        let messages = Recorder<(level: Logger.Level, message: String)>()
        let logger = Logger(label: "leak", factory: { _ in RecordingLogHandler(messages: messages) })
        var configuration = ConnectionPoolConfiguration.testing(maximum: 1)
        configuration.leakWarningThreshold = .seconds(10)
        let pool = ConnectionPool(source: FakeConnectionSource(), configuration: configuration, clock: clock, logger: logger)
        try await withRunningPool(pool) { pool async throws in
            let holder = await HeldConnection.hold(from: pool)
            clock.advance(by: .seconds(10))
            await waitUntil { messages.all.contains { $0.level == .warning && $0.message.contains("leak") } }
            try await holder.release()
        }
    }
}
