import NIOCore
import NIOPosix

/// The default timer: on the event loop the request runs on, the deadline joins that loop's ``DeadlineQueue`` and
/// leaves it when the work it bounds returns. Its instants are NIO's uptime clock readings.
///
/// `ContinuousClock.sleep(until:)` would do the same job, but a cancelled sleep stays queued in the concurrency runtime
/// until its deadline (about 700 bytes each), so a server answering thousands of requests a second within a 60-second
/// timeout would hold hundreds of megabytes of dead timers.
struct EventLoopDeadlineTimer: DeadlineTimer {
    /// Each event-loop thread's queue of this timer's deadlines.
    private let queues = ThreadSpecificVariable<DeadlineQueue>()

    func deadline(after duration: Duration) -> Duration {
        Self.now + duration
    }

    func remaining(until deadline: Duration) -> Duration {
        deadline - Self.now
    }

    func start(_ handler: DeadlineHandler, at deadline: Duration) -> DeadlineWatch {
        let (seconds, attoseconds) = deadline.components
        let uptime = NIODeadline.uptimeNanoseconds(UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000))
        guard let queue = self.currentQueue() else {
            // Not on an event loop (a test calling a responder directly): a timer of its own on a shared loop.
            return .callback(try? MultiThreadedEventLoopGroup.singleton.next().scheduleCallback(at: uptime, handler: handler))
        }
        queue.insert(handler, at: uptime)
        return .queued(queue, handler)
    }

    /// The queue of the event loop the calling thread runs, where request tasks run; `nil` on any other thread.
    private func currentQueue() -> DeadlineQueue? {
        if let queue = self.queues.currentValue { return queue }
        guard let eventLoop = MultiThreadedEventLoopGroup.currentEventLoop else { return nil }
        let queue = DeadlineQueue(eventLoop: eventLoop)
        self.queues.currentValue = queue
        return queue
    }

    private static var now: Duration {
        .nanoseconds(NIODeadline.now().uptimeNanoseconds)
    }
}
