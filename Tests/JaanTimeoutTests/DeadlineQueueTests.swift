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

    @Test func deadlinesPassInTheirOrderWhateverTheOrderOfInsertion() throws {
        let loop = EmbeddedEventLoop()
        let queue = DeadlineQueue(eventLoop: loop)
        let log = Log()
        let start = loop.now
        queue.insert(Recorder("ten", log: log), at: start + .seconds(10))
        queue.insert(Recorder("thirty", log: log), at: start + .seconds(30))
        // Earlier than the armed timer, as a streamed body's deadline is: the timer must move forward.
        queue.insert(Recorder("five", log: log), at: start + .seconds(5))
        queue.insert(Recorder("twenty", log: log), at: start + .seconds(20))
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
        let first = Recorder("first", log: log)
        queue.insert(first, at: start + .seconds(10))
        queue.insert(Recorder("second", log: log), at: start + .seconds(20))
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
        let gone = Recorder("gone", log: log)
        queue.insert(gone, at: start + .seconds(10))
        queue.remove(gone)
        loop.advanceTime(to: start + .seconds(10))
        queue.insert(Recorder("late", log: log), at: start + .seconds(12))
        loop.advanceTime(to: start + .seconds(12))
        #expect(log.passed == ["late"])
        try loop.syncShutdownGracefully()
    }
}
