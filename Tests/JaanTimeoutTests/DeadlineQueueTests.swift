import NIOCore
import NIOEmbedded
import Synchronization
import Testing

@testable import JaanTimeout

/// The per-loop queue of deadlines, on a loop whose time the test moves.
@Suite struct DeadlineQueueTests {
    /// The names of the deadlines that passed, in order.
    final class Log: Sendable {
        private let names = Mutex<[String]>([])
        var passed: [String] { self.names.withLock { $0 } }
        func append(_ name: String) { self.names.withLock { $0.append(name) } }
    }

    /// Writes its name to the log when its deadline passes.
    final class Recorder: DeadlineHandler, @unchecked Sendable {
        let name: String
        let log: Log

        init(_ name: String, log: Log) {
            self.name = name
            self.log = log
        }

        override func deadlinePassed() {
            self.log.append(self.name)
        }
    }

    /// A queue on a loop whose time the test moves, the log its handlers write to, and the loop's start time.
    struct Fixture {
        let loop = EmbeddedEventLoop()
        let log = Log()
        let queue: DeadlineQueue
        let start: NIODeadline

        init() {
            self.queue = DeadlineQueue(eventLoop: self.loop)
            self.start = self.loop.now
        }

        /// Queues a handler named `name` for `seconds` after the start.
        @discardableResult
        func insert(_ name: String, at seconds: Int64) -> Recorder {
            let recorder = Recorder(name, log: self.log)
            self.queue.insert(recorder, at: self.start + .seconds(seconds))
            return recorder
        }

        /// Moves the loop's time to `seconds` after the start, running the timers due.
        func advance(to seconds: Int64) {
            self.loop.advanceTime(to: self.start + .seconds(seconds))
        }
    }

    @Test func deadlinesPassInTheirOrderWhateverTheOrderOfInsertion() throws {
        let fixture = Fixture()
        fixture.insert("ten", at: 10)
        fixture.insert("thirty", at: 30)
        // Earlier than the armed timer, as a streamed body's deadline is: the timer must move forward.
        fixture.insert("five", at: 5)
        fixture.insert("twenty", at: 20)
        fixture.advance(to: 5)
        #expect(fixture.log.passed == ["five"])
        fixture.advance(to: 25)
        #expect(fixture.log.passed == ["five", "ten", "twenty"])
        fixture.advance(to: 60)
        #expect(fixture.log.passed == ["five", "ten", "twenty", "thirty"])
        try fixture.loop.syncShutdownGracefully()
    }

    @Test func removedDeadlineNeverPassesAndTheNextOneStillDoes() throws {
        let fixture = Fixture()
        let first = fixture.insert("first", at: 10)
        fixture.insert("second", at: 20)
        fixture.queue.remove(first)
        // The timer armed for the first fires for nothing, then waits for the second.
        fixture.advance(to: 15)
        #expect(fixture.log.passed.isEmpty)
        fixture.advance(to: 20)
        #expect(fixture.log.passed == ["second"])
        // Removing after it passed changes nothing.
        fixture.queue.remove(first)
        try fixture.loop.syncShutdownGracefully()
    }

    @Test func emptiedQueueArmsAgainForANewDeadline() throws {
        let fixture = Fixture()
        fixture.queue.remove(fixture.insert("gone", at: 10))
        fixture.advance(to: 10)
        fixture.insert("late", at: 12)
        fixture.advance(to: 12)
        #expect(fixture.log.passed == ["late"])
        try fixture.loop.syncShutdownGracefully()
    }
}
