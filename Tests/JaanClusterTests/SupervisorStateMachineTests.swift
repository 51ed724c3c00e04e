import Testing

@testable import JaanCluster

@Suite struct SupervisorStateMachineTests {
    typealias Machine = SupervisorStateMachine<ManualClock>

    let clock = ManualClock()

    func makeMachine(workers: Int = 2, memoryLimit: Int? = 1000, maximumRestarts: Int = 3) -> Machine {
        Machine(
            policy: .init(
                workerCount: workers, startTimeout: .seconds(10), shutdownTimeout: .seconds(5), initialBackoff: .milliseconds(100),
                maximumBackoff: .milliseconds(400), minimumUptime: .seconds(10), maximumRestarts: maximumRestarts,
                restartWindow: .seconds(60), memoryLimit: memoryLimit
            )
        )
    }

    /// Starts every worker and marks them ready; returns their instances.
    func started(_ machine: inout Machine) -> [Int] {
        let actions = machine.start(now: clock.now)
        var ids: [Int] = []
        for case .spawn(_, let instance, .initial) in actions {
            ids.append(instance)
            #expect(machine.workerReady(instance: instance, now: clock.now) == [])
        }
        return ids
    }

    @Test func startSpawnsOneProcessPerWorker() {
        var machine = makeMachine(workers: 3)
        #expect(
            machine.start(now: clock.now) == [
                .spawn(slot: 0, instance: 0, reason: .initial), .spawn(slot: 1, instance: 1, reason: .initial),
                .spawn(slot: 2, instance: 2, reason: .initial),
            ]
        )
        #expect(machine.start(now: clock.now) == [])
    }

    @Test func workerThatStayedUpIsRestartedAtOnce() {
        var machine = makeMachine()
        let ids = started(&machine)
        clock.advance(by: .seconds(11))
        #expect(machine.workerExited(instance: ids[0], now: clock.now) == [.spawn(slot: 0, instance: 2, reason: .restart)])
        #expect(machine.slots[0].restarts == 1)
    }

    @Test func quickDeathsBackOffExponentiallyUpToTheMaximum() {
        var machine = makeMachine(maximumRestarts: 100)
        var instance = started(&machine)[0]
        var delays: [Duration] = []
        for _ in 0..<5 {
            #expect(machine.workerExited(instance: instance, now: clock.now) == [])
            let restartAt = machine.slots[0].restartAt!
            delays.append(clock.now.duration(to: restartAt))
            clock.advance(by: clock.now.duration(to: restartAt) - .milliseconds(1))
            #expect(machine.tick(now: clock.now) == [])
            clock.advance(by: .milliseconds(1))
            guard case .spawn(0, let next, .restart) = machine.tick(now: clock.now).first else {
                Issue.record("no restart after the back-off")
                return
            }
            instance = next
            _ = machine.workerReady(instance: instance, now: clock.now)
        }
        #expect(delays == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(400), .milliseconds(400)])
    }

    @Test func backOffResetsAfterTheMinimumUptime() {
        var machine = makeMachine(maximumRestarts: 100)
        let first = started(&machine)[0]
        _ = machine.workerExited(instance: first, now: clock.now)
        clock.advance(by: .milliseconds(100))
        guard case .spawn(0, let second, .restart) = machine.tick(now: clock.now).first else {
            Issue.record("no restart")
            return
        }
        _ = machine.workerReady(instance: second, now: clock.now)
        #expect(machine.slots[0].backoff == .milliseconds(200))
        clock.advance(by: .seconds(10))
        #expect(machine.workerExited(instance: second, now: clock.now) == [.spawn(slot: 0, instance: 3, reason: .restart)])
        #expect(machine.slots[0].backoff == .milliseconds(100))
    }

    @Test func tooManyFailuresInTheWindowStopEverythingWithExitCodeOne() {
        var machine = makeMachine(maximumRestarts: 2)
        let ids = started(&machine)
        var instance = ids[0]
        for _ in 0..<2 {
            _ = machine.workerExited(instance: instance, now: clock.now)
            clock.advance(by: .seconds(1))
            guard case .spawn(0, let next, .restart) = machine.tick(now: clock.now).first else {
                Issue.record("no restart")
                return
            }
            instance = next
        }
        #expect(machine.workerExited(instance: instance, now: clock.now) == [.terminate(instance: ids[1], reason: .shutdown)])
        #expect(machine.isStopping)
        #expect(machine.workerExited(instance: ids[1], now: clock.now) == [.exit(code: 1, reason: .crashLoop(slot: 0))])
    }

    @Test func failuresOutsideTheWindowAreForgotten() {
        var machine = makeMachine(maximumRestarts: 1)
        var instance = started(&machine)[0]
        for _ in 0..<4 {
            _ = machine.workerExited(instance: instance, now: clock.now)
            clock.advance(by: .seconds(61))
            guard case .spawn(0, let next, .restart) = machine.tick(now: clock.now).first else {
                Issue.record("no restart")
                return
            }
            instance = next
        }
        #expect(!machine.isStopping)
    }

    @Test func workerNotReadyInTimeIsKilledAndRestarted() {
        var machine = makeMachine()
        _ = machine.start(now: clock.now)
        _ = machine.workerReady(instance: 1, now: clock.now)
        clock.advance(by: .seconds(10))
        #expect(machine.tick(now: clock.now) == [.kill(instance: 0, reason: .startTimeout)])
        #expect(machine.workerExited(instance: 0, now: clock.now) == [])
        clock.advance(by: .milliseconds(100))
        #expect(machine.tick(now: clock.now) == [.spawn(slot: 0, instance: 2, reason: .restart)])
    }

    @Test func workerAboveTheMemoryLimitIsReplacedBeforeItIsStopped() {
        var machine = makeMachine()
        let ids = started(&machine)
        #expect(machine.memorySampled(instance: ids[0], residentBytes: 1000, now: clock.now) == [])
        #expect(machine.memorySampled(instance: ids[0], residentBytes: 1001, now: clock.now) == [.spawn(slot: 0, instance: 2, reason: .memory)])
        // Sampled again while the replacement starts: nothing more.
        #expect(machine.memorySampled(instance: ids[0], residentBytes: 2000, now: clock.now) == [])
        #expect(machine.workerReady(instance: 2, now: clock.now) == [.terminate(instance: ids[0], reason: .memory)])
        clock.advance(by: .seconds(5))
        #expect(machine.tick(now: clock.now) == [.kill(instance: ids[0], reason: .shutdownTimeout)])
        #expect(machine.workerExited(instance: ids[0], now: clock.now) == [])
        #expect(machine.slots[0].current == 2)
        #expect(machine.slots[0].restarts == 1)
    }

    @Test func memoryLimitCanBeDisabled() {
        var machine = makeMachine(memoryLimit: nil)
        let ids = started(&machine)
        #expect(machine.memorySampled(instance: ids[0], residentBytes: .max, now: clock.now) == [])
    }

    @Test func reloadReplacesOneWorkerAtATime() {
        var machine = makeMachine(workers: 3)
        let ids = started(&machine)
        #expect(machine.reloadRequested(now: clock.now) == [.spawn(slot: 0, instance: 3, reason: .reload)])
        #expect(machine.isReloading)
        #expect(
            machine.workerReady(instance: 3, now: clock.now) == [
                .terminate(instance: ids[0], reason: .reload), .spawn(slot: 1, instance: 4, reason: .reload),
            ]
        )
        #expect(
            machine.workerReady(instance: 4, now: clock.now) == [
                .terminate(instance: ids[1], reason: .reload), .spawn(slot: 2, instance: 5, reason: .reload),
            ]
        )
        #expect(machine.workerReady(instance: 5, now: clock.now) == [.terminate(instance: ids[2], reason: .reload)])
        #expect(!machine.isReloading)
        for id in ids {
            #expect(machine.workerExited(instance: id, now: clock.now) == [])
        }
        #expect(machine.slots.map(\.current) == [3, 4, 5])
    }

    @Test func replacementThatFailsIsRetriedWhileTheOldWorkerServes() {
        var machine = makeMachine()
        let ids = started(&machine)
        _ = machine.reloadRequested(now: clock.now)
        #expect(machine.workerExited(instance: 2, now: clock.now) == [])
        #expect(machine.slots[0].current == ids[0])
        clock.advance(by: .milliseconds(100))
        #expect(machine.tick(now: clock.now) == [.spawn(slot: 0, instance: 3, reason: .reload)])
        #expect(
            machine.workerReady(instance: 3, now: clock.now) == [
                .terminate(instance: ids[0], reason: .reload), .spawn(slot: 1, instance: 4, reason: .reload),
            ]
        )
    }

    @Test func workerDyingWhileItsReplacementStartsIsTakenOverByIt() {
        var machine = makeMachine()
        let ids = started(&machine)
        _ = machine.memorySampled(instance: ids[0], residentBytes: 5000, now: clock.now)
        #expect(machine.workerExited(instance: ids[0], now: clock.now) == [])
        #expect(machine.slots[0].current == 2)
        #expect(machine.workerReady(instance: 2, now: clock.now) == [])
    }

    @Test func shutdownStopsEveryWorkerAndKillsWhatRemainsAfterTheTimeout() {
        var machine = makeMachine()
        let ids = started(&machine)
        #expect(
            machine.shutdownRequested(now: clock.now) == [
                .terminate(instance: ids[0], reason: .shutdown), .terminate(instance: ids[1], reason: .shutdown),
            ]
        )
        #expect(machine.workerExited(instance: ids[0], now: clock.now) == [])
        #expect(machine.reloadRequested(now: clock.now) == [])
        clock.advance(by: .seconds(5))
        #expect(machine.tick(now: clock.now) == [.kill(instance: ids[1], reason: .shutdownTimeout)])
        #expect(machine.tick(now: clock.now) == [])
        #expect(machine.workerExited(instance: ids[1], now: clock.now) == [.exit(code: 0, reason: .shutdown)])
    }

    @Test func shutdownCancelsPendingRestarts() {
        var machine = makeMachine()
        let ids = started(&machine)
        _ = machine.workerExited(instance: ids[0], now: clock.now)
        #expect(machine.shutdownRequested(now: clock.now) == [.terminate(instance: ids[1], reason: .shutdown)])
        clock.advance(by: .seconds(1))
        #expect(machine.tick(now: clock.now) == [])
        #expect(machine.workerExited(instance: ids[1], now: clock.now) == [.exit(code: 0, reason: .shutdown)])
    }

    @Test func nextDeadlineIsTheEarliestTimer() {
        var machine = makeMachine()
        _ = machine.start(now: clock.now)
        #expect(machine.nextDeadline == clock.now.advanced(by: .seconds(10)))
        _ = machine.workerReady(instance: 0, now: clock.now)
        _ = machine.workerReady(instance: 1, now: clock.now)
        #expect(machine.nextDeadline == nil)
        _ = machine.workerExited(instance: 0, now: clock.now)
        #expect(machine.nextDeadline == clock.now.advanced(by: .milliseconds(100)))
    }

    @Test func unknownInstancesAreIgnored() {
        var machine = makeMachine()
        _ = started(&machine)
        #expect(machine.workerExited(instance: 99, now: clock.now) == [])
        #expect(machine.workerReady(instance: 99, now: clock.now) == [])
        #expect(machine.memorySampled(instance: 99, residentBytes: 1 << 40, now: clock.now) == [])
    }
}
