import NIOCore
import NIOPosix

/// The default timer: on the event loop the request runs on, the deadline joins that loop's ``DeadlineQueue`` and
/// leaves it when the work it bounds returns. Its instants are NIO's uptime clock readings.
///
/// `ContinuousClock.sleep(until:)` would do the same job, but a cancelled sleep stays queued in the concurrency runtime
/// until its deadline (about 700 bytes each), so a server answering thousands of requests a second within a 60-second
/// timeout would hold hundreds of megabytes of dead timers.
///
/// It holds nothing, so that a request copies no reference to it: a reference that every loop thread retains and
/// releases on every request makes the threads take turns at its reference count.
struct EventLoopDeadlineTimer: DeadlineTimer {
    /// Each event-loop thread's queue of deadlines, shared by every middleware.
    private static let queues = ThreadSpecificVariable<DeadlineQueue>()

    func deadline(afterNanoseconds nanoseconds: Int64) -> Int64 {
        Self.now.saturatingAdvanced(by: nanoseconds)
    }

    func remaining(until deadline: Int64) -> Duration {
        .nanoseconds(deadline - Self.now)
    }

    func start(_ handler: DeadlineHandler, at deadline: Int64) -> DeadlineWatch {
        let uptime = NIODeadline.uptimeNanoseconds(UInt64(max(deadline, 0)))
        guard let queue = self.currentQueue() else {
            // Not on an event loop (a test calling a responder directly): a timer of its own on a shared loop.
            return .callback(try? MultiThreadedEventLoopGroup.singleton.next().scheduleCallback(at: uptime, handler: handler))
        }
        queue.insert(handler, at: uptime)
        return .queued(queue, handler)
    }

    /// The queue of the event loop the calling thread runs, where request tasks run; `nil` on any other thread.
    private func currentQueue() -> DeadlineQueue? {
        if let queue = Self.queues.currentValue { return queue }
        guard let eventLoop = MultiThreadedEventLoopGroup.currentEventLoop else { return nil }
        let queue = DeadlineQueue(eventLoop: eventLoop)
        Self.queues.currentValue = queue
        return queue
    }

    /// NIO's uptime clock, in nanoseconds.
    private static var now: Int64 {
        Int64(NIODeadline.now().uptimeNanoseconds)
    }
}
