import NIOCore
import NIOPosix
import Testing

@testable import JaanTimeout

/// Starting a deadline timer and stopping it once the work is done, as the middleware does around every request.
@Suite(.timeLimit(.minutes(1))) struct DeadlineWatchTests {
    @Test func onAnEventLoopTheDeadlineJoinsTheLoopsListAndLeavesItWhenStopped() async throws {
        let timer = EventLoopDeadlineTimer()
        let recorder = DeadlineQueueTests.Recorder("request", log: DeadlineQueueTests.Log())
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let (queuedWhileRunning, queuedAfterStop) = try await loop.submit {
            let watch = timer.start(recorder, at: timer.deadline(after: .seconds(60)))
            guard case .queued = watch else { return (false, true) }
            let queued = recorder.isQueued
            watch.stop()
            return (queued, recorder.isQueued)
        }.get()
        #expect(queuedWhileRunning)
        #expect(!queuedAfterStop)
    }

    /// Tells a stream its name when its deadline passes.
    final class Announcer: DeadlineHandler, @unchecked Sendable {
        let name: String
        let names: AsyncStream<String>.Continuation

        init(_ name: String, to names: AsyncStream<String>.Continuation) {
            self.name = name
            self.names = names
        }

        override func deadlinePassed() {
            self.names.yield(self.name)
        }
    }

    @Test func offAnEventLoopTheDeadlineIsATimerOfItsOwnThatStopCancels() async throws {
        let timer = EventLoopDeadlineTimer()
        let (names, announce) = AsyncStream.makeStream(of: String.self)
        let watch = timer.start(Announcer("stopped", to: announce), at: timer.deadline(after: .milliseconds(50)))
        guard case .callback(let callback) = watch else {
            Issue.record("expected a timer of its own, got \(watch)")
            return
        }
        #expect(callback != nil)
        watch.stop()
        // Had the stop not cancelled it, the first timer would be the first to fire.
        _ = timer.start(Announcer("later", to: announce), at: timer.deadline(after: .milliseconds(100)))
        var first: String?
        for await name in names {
            first = name
            break
        }
        #expect(first == "later")
    }

    @Test func aStoppedSleeperNeverCallsItsHandler() async throws {
        let clock = ManualClock()
        let timer = ClockDeadlineTimer(clock: clock)
        let log = DeadlineQueueTests.Log()
        let stopped = timer.start(DeadlineQueueTests.Recorder("stopped", log: log), at: 1_000_000_000)
        let running = timer.start(DeadlineQueueTests.Recorder("running", log: log), at: 1_000_000_000)
        await clock.waitForSleepers(2)
        stopped.stop()
        clock.advance(by: .seconds(1))
        guard case .sleeper(let task) = running else {
            Issue.record("expected a sleeping task, got \(running)")
            return
        }
        await task.value
        if case .sleeper(let stoppedTask) = stopped { await stoppedTask.value }
        #expect(log.passed == ["running"])
    }
}
