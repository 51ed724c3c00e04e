import JaanPool
import JaanPoolTesting
import Testing

/// The lease and return fast paths: they lend and keep idle without any actions, and step aside, changing
/// nothing, whenever something else must happen.
@Suite struct PoolStateMachineFastPathTests {
    typealias Machine = PoolStateMachineTests.Machine

    static func at(_ seconds: Double) -> ManualClock.Instant { PoolStateMachineTests.at(seconds) }

    static func configuration(minimum: Int = 0, maximum: Int = 2) -> ConnectionPoolConfiguration {
        PoolStateMachineTests.configuration(minimum: minimum, maximum: maximum)
    }

    /// A machine with `minimum` connections opened at t=0.
    static func warmMachine(_ configuration: ConnectionPoolConfiguration) -> Machine {
        var machine = Machine(configuration: configuration)
        _ = PoolStateMachineTests.openAll(&machine, machine.start(now: Self.at(0)), now: Self.at(0))
        return machine
    }

    static func warnings(_ actions: Machine.Actions) -> [Int] {
        actions.work.compactMap { if case .leakWarning(let id, _) = $0 { id } else { nil } }
    }

    @Test func idleConnectionIsLentAndKeptIdleAgain() throws {
        var machine = Self.warmMachine(Self.configuration(minimum: 2, maximum: 2))
        let leaseTaken = machine.leaseIdle(now: Self.at(1))
        let lease = try #require(leaseTaken)
        #expect(!lease.needsValidation)
        #expect(machine.statistics.leased == 1)
        #expect(machine.statistics.idle == 1)
        let kept = machine.releaseToIdle(lease, now: Self.at(2))
        #expect(kept)
        #expect(machine.statistics.leased == 0)
        #expect(machine.statistics.idle == 2)
        #expect(machine.statistics.leases == 1)
    }

    @Test func fastLeaseMarksAConnectionIdlePastTheValidationThreshold() throws {
        var configuration = Self.configuration(minimum: 1, maximum: 1)
        configuration.validationThreshold = .seconds(5)
        var machine = Self.warmMachine(configuration)
        let freshTaken = machine.leaseIdle(now: Self.at(4))
        let fresh = try #require(freshTaken)
        #expect(!fresh.needsValidation)
        let kept = machine.releaseToIdle(fresh, now: Self.at(4))
        #expect(kept)
        let staleTaken = machine.leaseIdle(now: Self.at(9))
        let stale = try #require(staleTaken)
        #expect(stale.needsValidation)
    }

    @Test func fastLeaseLeavesAConnectionPastItsLifetimeToTheGeneralPath() {
        var configuration = Self.configuration(minimum: 1, maximum: 1)
        configuration.maximumLifetime = .seconds(10)
        var machine = Self.warmMachine(configuration)
        let expired = machine.leaseIdle(now: Self.at(10))
        #expect(expired == nil)
        #expect(machine.statistics.idle == 1)
        #expect(machine.statistics.leases == 0)
        let (decision, actions) = machine.lease(now: Self.at(10))
        guard case .wait = decision else { return #expect(Bool(false)) }
        #expect(PoolStateMachineTests.closes(actions).map(\.reason) == [.lifetimeExpired])
    }

    @Test func fastLeaseLeavesArmingTheLeakCheckToTheGeneralPath() throws {
        var configuration = Self.configuration(minimum: 2, maximum: 2)
        configuration.leakWarningThreshold = .seconds(60)
        var machine = Self.warmMachine(configuration)
        let unarmed = machine.leaseIdle(now: Self.at(0))
        #expect(unarmed == nil)
        #expect(machine.statistics.idle == 2)
        let first = try #require(PoolStateMachineTests.lend(&machine, now: Self.at(0)))
        // Armed: the next lease takes the fast path, and is still watched from its own start.
        let secondTaken = machine.leaseIdle(now: Self.at(1))
        let second = try #require(secondTaken)
        let warnings = { (machine: inout Machine, seconds: Double) in
            Self.warnings(machine.timerFired(deadline: Self.at(seconds), now: Self.at(seconds)))
        }
        let atSixty = warnings(&machine, 60)
        let between = warnings(&machine, 60.5)
        let atSixtyOne = warnings(&machine, 61)
        #expect(atSixty == [first.connectionID])
        #expect(between.isEmpty)
        #expect(atSixtyOne == [second.connectionID])
    }

    @Test func fastReturnLeavesAHandOverToAWaiterToTheGeneralPath() throws {
        var machine = Self.warmMachine(Self.configuration(minimum: 1, maximum: 1))
        let leaseTaken = machine.leaseIdle(now: Self.at(0))
        let lease = try #require(leaseTaken)
        _ = PoolStateMachineTests.enqueue(&machine, "A", now: Self.at(1))
        let kept = machine.releaseToIdle(lease, now: Self.at(2))
        #expect(!kept)
        #expect(machine.statistics.leased == 1)
        #expect(machine.statistics.waiters == 1)
        let released = machine.release(lease, usable: true, now: Self.at(2))
        #expect(released.lend?.waiter == "A")
    }

    @Test func fastReturnLeavesStartingAnIdleTimeoutToTheGeneralPath() {
        var machine = Machine(configuration: Self.configuration(minimum: 0, maximum: 2))
        var leases: [Machine.Lease] = []
        for name in ["A", "B"] {
            let actions = PoolStateMachineTests.enqueue(&machine, name, now: Self.at(0))
            leases += PoolStateMachineTests.openAll(&machine, actions, now: Self.at(0)).compactMap { $0.lend?.lease }
        }
        #expect(leases.count == 2)
        // The first idle connection above the minimum starts an idle timeout: a timer to ask for.
        let firstKept = machine.releaseToIdle(leases[0], now: Self.at(0))
        #expect(!firstKept)
        #expect(machine.statistics.idle == 0)
        _ = machine.release(leases[0], usable: true, now: Self.at(0))
        #expect(machine.statistics.idle == 1)
        // The second is kept idle by the fast path; its stamp still drives its own idle timeout.
        let secondKept = machine.releaseToIdle(leases[1], now: Self.at(10))
        #expect(secondKept)
        let closes = { (machine: inout Machine, seconds: Double) in
            PoolStateMachineTests.closes(machine.timerFired(deadline: Self.at(seconds), now: Self.at(seconds))).map(\.reason)
        }
        let atThirty = closes(&machine, 30)
        let beforeForty = closes(&machine, 39.9)
        let atForty = closes(&machine, 40)
        #expect(atThirty == [.idleTimeout])
        #expect(beforeForty.isEmpty)
        #expect(atForty == [.idleTimeout])
    }

    @Test func fastReturnLeavesAConnectionPastItsLifetimeToTheGeneralPath() throws {
        var configuration = Self.configuration(minimum: 2, maximum: 2)
        configuration.maximumLifetime = .seconds(10)
        var machine = Self.warmMachine(configuration)
        let leaseTaken = machine.leaseIdle(now: Self.at(0))
        let lease = try #require(leaseTaken)
        let kept = machine.releaseToIdle(lease, now: Self.at(10))
        #expect(!kept)
        #expect(machine.statistics.leased == 1)
        let released = machine.release(lease, usable: true, now: Self.at(10))
        #expect(PoolStateMachineTests.closes(released).map(\.reason) == [.lifetimeExpired])
    }

    @Test func fastPathsStepAsideAtShutdown() throws {
        var machine = Self.warmMachine(Self.configuration(minimum: 2, maximum: 2))
        let leaseTaken = machine.leaseIdle(now: Self.at(0))
        let lease = try #require(leaseTaken)
        _ = machine.shutdown(now: Self.at(1), timeout: .seconds(5))
        let refused = machine.leaseIdle(now: Self.at(1))
        #expect(refused == nil)
        let kept = machine.releaseToIdle(lease, now: Self.at(2))
        #expect(!kept)
        let released = machine.release(lease, usable: true, now: Self.at(2))
        #expect(PoolStateMachineTests.closes(released).map(\.reason) == [.shutdown])
    }
}
