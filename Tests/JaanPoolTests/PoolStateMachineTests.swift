import JaanPool
import JaanPoolTesting
import Testing

/// The pool's bookkeeping, driven event by event with a manual clock's instants: no tasks, no waiting.
@Suite struct PoolStateMachineTests {
    typealias Machine = PoolStateMachine<Int, ManualClock, String>

    static func at(_ seconds: Double) -> ManualClock.Instant {
        ManualClock.Instant(offset: .milliseconds(Int64(seconds * 1000)))
    }

    static func configuration(minimum: Int = 0, maximum: Int = 2) -> ConnectionPoolConfiguration {
        var configuration = ConnectionPoolConfiguration()
        configuration.minimumConnections = minimum
        configuration.maximumConnections = maximum
        configuration.maximumLifetime = nil
        configuration.leakWarningThreshold = nil
        return configuration
    }

    /// Opens every connection the actions ask for, at `now`, and returns the actions of those opens.
    static func openAll(_ machine: inout Machine, _ actions: Machine.Actions, now: ManualClock.Instant) -> [Machine.Actions] {
        var results: [Machine.Actions] = []
        for case .open(let slot, let id) in actions.work {
            results.append(machine.connectionOpened(slot: slot, connectionID: id, connection: id, now: now, jitter: .zero))
        }
        return results
    }

    /// Makes a borrower wait, returning the actions of its arrival and of its enqueueing together.
    static func enqueue(_ machine: inout Machine, _ name: String, now: ManualClock.Instant) -> Machine.Actions {
        guard case (.wait(let ticket), let arrival) = machine.lease(now: now) else {
            Issue.record("\(name) was expected to wait")
            return Machine.Actions()
        }
        var (decision, actions) = machine.enqueue(ticket: ticket, waiter: name, now: now)
        actions.work = arrival.work + actions.work
        guard case .enqueued = decision else {
            Issue.record("\(name) was expected to be enqueued")
            return actions
        }
        return actions
    }

    static func lend(_ machine: inout Machine, now: ManualClock.Instant) -> Machine.Lease? {
        guard case (.lend(let lease), _) = machine.lease(now: now) else { return nil }
        return lease
    }

    static func opens(_ actions: Machine.Actions) -> Int {
        actions.work.filter { if case .open = $0 { true } else { false } }.count
    }

    static func closes(_ actions: Machine.Actions) -> [(id: Int, reason: Machine.CloseReason)] {
        actions.work.compactMap { if case .close(_, let id, _, let reason) = $0 { (id, reason) } else { nil } }
    }

    @Test func startOpensMinimumConnections() {
        var machine = Machine(configuration: Self.configuration(minimum: 2, maximum: 4))
        let actions = machine.start(now: Self.at(0))
        #expect(Self.opens(actions) == 2)
        #expect(machine.statistics.opening == 2)
    }

    @Test func waitingBorrowerGetsTheConnectionOpenedForIt() {
        var machine = Machine(configuration: Self.configuration())
        let actions = Self.enqueue(&machine, "A", now: Self.at(0))
        #expect(Self.opens(actions) == 1)
        #expect(actions.work.contains { if case .schedule(Self.at(2)) = $0 { true } else { false } })
        let opened = Self.openAll(&machine, actions, now: Self.at(0.5))
        #expect(opened.first?.lend?.waiter == "A")
        #expect(machine.statistics.leased == 1)
        #expect(machine.statistics.waiters == 0)
    }

    @Test func neverOpensMoreThanMaximum() {
        var machine = Machine(configuration: Self.configuration(maximum: 2))
        var opens = 0
        for name in ["A", "B", "C", "D", "E"] {
            opens += Self.opens(Self.enqueue(&machine, name, now: Self.at(0)))
        }
        #expect(opens == 2)
        #expect(machine.statistics.opening == 2)
        #expect(machine.statistics.waiters == 5)
    }

    @Test func waitersAreServedFirstInFirstOut() {
        var machine = Machine(configuration: Self.configuration(minimum: 1, maximum: 1))
        _ = Self.openAll(&machine, machine.start(now: Self.at(0)), now: Self.at(0))
        let first = Self.lend(&machine, now: Self.at(0))
        for name in ["A", "B", "C"] {
            _ = Self.enqueue(&machine, name, now: Self.at(0))
        }
        var served: [String] = []
        var lease = first
        while let current = lease {
            let actions = machine.release(current, usable: true, now: Self.at(1))
            lease = actions.lend?.lease
            if let waiter = actions.lend?.waiter { served.append(waiter) }
        }
        #expect(served == ["A", "B", "C"])
        #expect(machine.statistics.idle == 1)
    }

    @Test func newBorrowerQueuesBehindWaitersEvenWhenAConnectionIsIdle() {
        var machine = Machine(configuration: Self.configuration(minimum: 0, maximum: 1))
        let opening = Self.enqueue(&machine, "A", now: Self.at(0))
        _ = Self.enqueue(&machine, "B", now: Self.at(0))
        let opened = Self.openAll(&machine, opening, now: Self.at(0))
        #expect(opened.first?.lend?.waiter == "A")
        guard case (.wait, _) = machine.lease(now: Self.at(0)) else {
            Issue.record("a newcomer must not overtake B")
            return
        }
    }

    @Test func cancelledWaiterLeavesTheQueueAtOnce() {
        var machine = Machine(configuration: Self.configuration(minimum: 1, maximum: 1))
        _ = Self.openAll(&machine, machine.start(now: Self.at(0)), now: Self.at(0))
        let lease = Self.lend(&machine, now: Self.at(0))!
        guard case (.wait(let ticketA), _) = machine.lease(now: Self.at(0)) else { return #expect(Bool(false)) }
        _ = machine.enqueue(ticket: ticketA, waiter: "A", now: Self.at(0))
        _ = Self.enqueue(&machine, "B", now: Self.at(0))
        #expect(machine.cancelWaiter(ticket: ticketA) == "A")
        #expect(machine.statistics.waiters == 1)
        #expect(machine.cancelWaiter(ticket: ticketA) == nil)
        let actions = machine.release(lease, usable: true, now: Self.at(1))
        #expect(actions.lend?.waiter == "B")
    }

    @Test func waiterTimesOutWithExhaustedAndFigures() {
        var machine = Machine(configuration: Self.configuration(minimum: 1, maximum: 1))
        _ = Self.openAll(&machine, machine.start(now: Self.at(0)), now: Self.at(0))
        _ = Self.lend(&machine, now: Self.at(0))
        _ = Self.enqueue(&machine, "A", now: Self.at(1))
        let early = machine.timerFired(deadline: Self.at(2.9), now: Self.at(2.9))
        #expect(early.failures.isEmpty)
        let actions = machine.timerFired(deadline: Self.at(3), now: Self.at(3))
        #expect(actions.failures.map(\.waiter) == ["A"])
        #expect(actions.failures.first?.error.code == .exhausted)
        #expect(actions.failures.first?.error.statistics.leased == 1)
        #expect(actions.failures.first?.error.statistics.maximumConnections == 1)
        #expect(actions.timeouts == 1)
        #expect(machine.statistics.timeouts == 1)
    }

    @Test func borrowerBeyondMaximumWaitersFailsFast() {
        var configuration = Self.configuration(maximum: 1)
        configuration.maximumWaiters = 1
        var machine = Machine(configuration: configuration)
        _ = Self.enqueue(&machine, "A", now: Self.at(0))
        guard case (.fail(let error), _) = machine.lease(now: Self.at(0)) else { return #expect(Bool(false)) }
        #expect(error.code == .tooManyWaiters)
    }

    @Test func idleConnectionAboveMinimumIsClosedAfterIdleTimeout() {
        var machine = Machine(configuration: Self.configuration(minimum: 1, maximum: 3))
        var leases: [Machine.Lease] = []
        for name in ["A", "B", "C"] {
            let actions = Self.enqueue(&machine, name, now: Self.at(0))
            leases += Self.openAll(&machine, actions, now: Self.at(0)).compactMap { $0.lend?.lease }
        }
        #expect(leases.count == 3)
        for (index, lease) in leases.enumerated() {
            _ = machine.release(lease, usable: true, now: Self.at(Double(index)))
        }
        // A's connection has been idle 30 s at t=30, B's at t=31; C's stays: it is the minimum.
        #expect(Self.closes(machine.timerFired(deadline: Self.at(29), now: Self.at(29))).isEmpty)
        #expect(Self.closes(machine.timerFired(deadline: Self.at(30), now: Self.at(30))).map(\.reason) == [.idleTimeout])
        let later = machine.timerFired(deadline: Self.at(100), now: Self.at(100))
        #expect(Self.closes(later).map(\.reason) == [.idleTimeout])
        #expect(Self.opens(later) == 0)
        #expect(machine.statistics.idle == 1)
    }

    @Test func connectionPastItsLifetimeIsClosedAndReplaced() {
        var configuration = Self.configuration(minimum: 1, maximum: 1)
        configuration.maximumLifetime = .seconds(10)
        var machine = Machine(configuration: configuration)
        let start = machine.start(now: Self.at(0))
        let opened = Self.openAll(&machine, start, now: Self.at(0))
        #expect(opened.first?.work.contains { if case .schedule(Self.at(10)) = $0 { true } else { false } } == true)
        let actions = machine.timerFired(deadline: Self.at(10), now: Self.at(10))
        #expect(Self.closes(actions).map(\.reason) == [.lifetimeExpired])
        guard case .close(let slot, let id, _, _) = actions.work.first(where: { if case .close = $0 { true } else { false } }) else {
            return #expect(Bool(false))
        }
        let closed = machine.connectionClosed(slot: slot, connectionID: id, now: Self.at(10))
        #expect(Self.opens(closed) == 1)
    }

    @Test func lifetimeJitterShortensTheLifetime() {
        var configuration = Self.configuration(minimum: 1, maximum: 1)
        configuration.maximumLifetime = .seconds(10)
        var machine = Machine(configuration: configuration)
        guard case .open(let slot, let id) = machine.start(now: Self.at(0)).work.first else { return #expect(Bool(false)) }
        _ = machine.connectionOpened(slot: slot, connectionID: id, connection: id, now: Self.at(0), jitter: .seconds(3))
        #expect(Self.closes(machine.timerFired(deadline: Self.at(6.9), now: Self.at(6.9))).isEmpty)
        #expect(Self.closes(machine.timerFired(deadline: Self.at(7), now: Self.at(7))).map(\.reason) == [.lifetimeExpired])
    }

    @Test func leasedConnectionPastItsLifetimeIsClosedWhenItComesBack() {
        var configuration = Self.configuration(minimum: 1, maximum: 1)
        configuration.maximumLifetime = .seconds(10)
        var machine = Machine(configuration: configuration)
        _ = Self.openAll(&machine, machine.start(now: Self.at(0)), now: Self.at(0))
        let lease = Self.lend(&machine, now: Self.at(0))!
        #expect(Self.closes(machine.timerFired(deadline: Self.at(10), now: Self.at(10))).isEmpty)
        let actions = machine.release(lease, usable: true, now: Self.at(11))
        #expect(Self.closes(actions).map(\.reason) == [.lifetimeExpired])
    }

    @Test func connectionIdleLongerThanValidationThresholdIsValidated() {
        var configuration = Self.configuration(minimum: 1, maximum: 1)
        configuration.validationThreshold = .seconds(5)
        var machine = Machine(configuration: configuration)
        _ = Self.openAll(&machine, machine.start(now: Self.at(0)), now: Self.at(0))
        let fresh = Self.lend(&machine, now: Self.at(4))!
        #expect(!fresh.needsValidation)
        _ = machine.release(fresh, usable: true, now: Self.at(4))
        let stale = Self.lend(&machine, now: Self.at(9))!
        #expect(stale.needsValidation)
    }

    @Test func brokenConnectionIsClosedAndReplaced() {
        var machine = Machine(configuration: Self.configuration(minimum: 1, maximum: 1))
        _ = Self.openAll(&machine, machine.start(now: Self.at(0)), now: Self.at(0))
        let lease = Self.lend(&machine, now: Self.at(0))!
        let actions = machine.release(lease, usable: false, now: Self.at(1))
        #expect(Self.closes(actions).map(\.reason) == [.broken])
        #expect(machine.statistics.brokenConnections == 1)
        guard case .close(let slot, let id, _, _) = actions.work.first else { return #expect(Bool(false)) }
        #expect(Self.opens(machine.connectionClosed(slot: slot, connectionID: id, now: Self.at(1))) == 1)
    }

    @Test func failedConnectBacksOffAndFailsWaitersWithNothingToWaitFor() {
        var machine = Machine(configuration: Self.configuration())
        let actions = Self.enqueue(&machine, "A", now: Self.at(0))
        guard case .open(let slot, let id) = actions.work.first else { return #expect(Bool(false)) }
        let failed = machine.connectFailed(slot: slot, connectionID: id, error: FakeConnectError(), now: Self.at(1))
        #expect(failed.failures.map(\.waiter) == ["A"])
        #expect(failed.failures.first?.error.code == .connectFailed)
        #expect(failed.failures.first?.error.underlying is FakeConnectError)
        #expect(failed.work.contains { if case .schedule(Self.at(1.1)) = $0 { true } else { false } })
        // During the back-off a newcomer fails fast instead of waiting for its timeout.
        guard case (.fail(let error), _) = machine.lease(now: Self.at(1.05)) else { return #expect(Bool(false)) }
        #expect(error.code == .connectFailed)
        // After it, the next borrower makes the pool try again.
        #expect(Self.opens(Self.enqueue(&machine, "B", now: Self.at(1.1))) == 1)
        #expect(machine.statistics.openFailures == 1)
    }

    @Test func backoffDoublesUpToItsMaximum() {
        var configuration = ConnectionPoolConfiguration()
        configuration.connectBackoff = .milliseconds(100)
        configuration.maximumConnectBackoff = .milliseconds(500)
        #expect((1...5).map { configuration.backoff(afterFailures: $0) } == [100, 200, 400, 500, 500].map { .milliseconds($0) })
    }

    @Test func leaseHeldPastThresholdIsReportedOnce() {
        var configuration = Self.configuration(minimum: 1, maximum: 1)
        configuration.leakWarningThreshold = .seconds(60)
        var machine = Machine(configuration: configuration)
        _ = Self.openAll(&machine, machine.start(now: Self.at(0)), now: Self.at(0))
        let lease = Self.lend(&machine, now: Self.at(0))!
        let warnings = { (actions: Machine.Actions) in
            actions.work.compactMap { if case .leakWarning(let id, _) = $0 { id } else { nil } }
        }
        #expect(warnings(machine.timerFired(deadline: Self.at(59), now: Self.at(59))).isEmpty)
        #expect(warnings(machine.timerFired(deadline: Self.at(60), now: Self.at(60))) == [lease.connectionID])
        #expect(warnings(machine.timerFired(deadline: Self.at(120), now: Self.at(120))).isEmpty)
    }

    @Test func shutdownFailsWaitersClosesIdleAndWaitsForLeases() {
        var machine = Machine(configuration: Self.configuration(minimum: 2, maximum: 2))
        _ = Self.openAll(&machine, machine.start(now: Self.at(0)), now: Self.at(0))
        let lease = Self.lend(&machine, now: Self.at(0))!
        let shutdown = machine.shutdown(now: Self.at(1), timeout: .seconds(5))
        #expect(Self.closes(shutdown).map(\.reason) == [.shutdown])
        guard case (.fail(let error), _) = machine.lease(now: Self.at(1)) else { return #expect(Bool(false)) }
        #expect(error.code == .shutdown)
        let released = machine.release(lease, usable: true, now: Self.at(2))
        #expect(Self.closes(released).map(\.reason) == [.shutdown])
        var complete = false
        for case .close(let slot, let id, _, _) in shutdown.work + released.work {
            let actions = machine.connectionClosed(slot: slot, connectionID: id, now: Self.at(2))
            complete = complete || actions.work.contains { if case .shutdownComplete = $0 { true } else { false } }
        }
        #expect(complete)
    }

    @Test func shutdownDeadlineClosesLeasesStillOut() {
        var machine = Machine(configuration: Self.configuration(minimum: 1, maximum: 1))
        _ = Self.openAll(&machine, machine.start(now: Self.at(0)), now: Self.at(0))
        let lease = Self.lend(&machine, now: Self.at(0))!
        let shutdown = machine.shutdown(now: Self.at(0), timeout: .seconds(5))
        #expect(shutdown.work.contains { if case .schedule(Self.at(5)) = $0 { true } else { false } })
        let forced = machine.timerFired(deadline: Self.at(5), now: Self.at(5))
        #expect(Self.closes(forced).map(\.reason) == [.forcedAtShutdownDeadline])
        #expect(machine.release(lease, usable: true, now: Self.at(6)).work.isEmpty)
        guard case .close(let slot, let id, _, _) = forced.work.first else { return #expect(Bool(false)) }
        let closed = machine.connectionClosed(slot: slot, connectionID: id, now: Self.at(6))
        #expect(closed.work.contains { if case .shutdownComplete = $0 { true } else { false } })
    }

    @Test func connectionOpenedDuringShutdownIsClosed() {
        var machine = Machine(configuration: Self.configuration(minimum: 1, maximum: 1))
        guard case .open(let slot, let id) = machine.start(now: Self.at(0)).work.first else { return #expect(Bool(false)) }
        _ = machine.shutdown(now: Self.at(0), timeout: .zero)
        let opened = machine.connectionOpened(slot: slot, connectionID: id, connection: id, now: Self.at(1), jitter: .zero)
        #expect(Self.closes(opened).map(\.reason) == [.shutdown])
    }
}
