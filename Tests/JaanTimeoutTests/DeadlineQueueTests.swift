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
    final class Recorder: DeadlineHandler {
        let name: String
        let log: Log

        init(_ name: String, log: Log) {
            self.name = name
            self.log = log
        }

        func deadlinePassed() {
            self.log.append(self.name)
        }
    }

    @Test func deadlinesPassInTheirOrderWhateverTheOrderOfInsertion() throws {
        let loop = EmbeddedEventLoop()
        let queue = DeadlineQueue(eventLoop: loop)
        let log = Log()
        let start = loop.now
        _ = queue.insert(start + .seconds(10), handler: Recorder("ten", log: log))
        _ = queue.insert(start + .seconds(30), handler: Recorder("thirty", log: log))
        // Earlier than the armed timer, as a streamed body's deadline is: the timer must move forward.
        _ = queue.insert(start + .seconds(5), handler: Recorder("five", log: log))
        _ = queue.insert(start + .seconds(20), handler: Recorder("twenty", log: log))
        loop.advanceTime(to: start + .seconds(5))
        #expect(log.passed == ["five"])
        loop.advanceTime(to: start + .seconds(25))
        #expect(log.passed == ["five", "ten", "twenty"])
        loop.advanceTime(to: start + .seconds(60))
        #expect(log.passed == ["five", "ten", "twenty", "thirty"])
        try loop.syncShutdownGracefully()
    }

    @Test func removedDeadlineNeverPassesAndTheNextOneStillDoes() throws {
        let loop = EmbeddedEventLoop()
        let queue = DeadlineQueue(eventLoop: loop)
        let log = Log()
        let start = loop.now
        let first = queue.insert(start + .seconds(10), handler: Recorder("first", log: log))
        _ = queue.insert(start + .seconds(20), handler: Recorder("second", log: log))
        queue.remove(first)
        // The timer armed for the first fires for nothing, then waits for the second.
        loop.advanceTime(to: start + .seconds(15))
        #expect(log.passed.isEmpty)
        loop.advanceTime(to: start + .seconds(20))
        #expect(log.passed == ["second"])
        // Removing after it passed changes nothing.
        queue.remove(first)
        try loop.syncShutdownGracefully()
    }

    @Test func emptiedQueueArmsAgainForANewDeadline() throws {
        let loop = EmbeddedEventLoop()
        let queue = DeadlineQueue(eventLoop: loop)
        let log = Log()
        let start = loop.now
        queue.remove(queue.insert(start + .seconds(10), handler: Recorder("gone", log: log)))
        loop.advanceTime(to: start + .seconds(10))
        _ = queue.insert(start + .seconds(12), handler: Recorder("late", log: log))
        loop.advanceTime(to: start + .seconds(12))
        #expect(log.passed == ["late"])
        try loop.syncShutdownGracefully()
    }
}
