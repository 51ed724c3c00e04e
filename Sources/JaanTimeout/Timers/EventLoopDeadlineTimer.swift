import NIOCore
import NIOPosix

/// The default timer: on the event loop the request runs on, the deadline joins that loop's ``DeadlineQueue`` and
/// leaves it when the operation it bounds returns. Its instants are NIO's uptime clock readings.
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

    nonisolated(nonsending) func withDeadline(
        at deadline: Duration,
        handler: DeadlineHandler,
        _ operation: nonisolated(nonsending) () async throws -> Void
    ) async throws {
        let (seconds, attoseconds) = deadline.components
        let uptime = NIODeadline.uptimeNanoseconds(UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000))
        // Request tasks run on their connection's event loop. Elsewhere (a test calling a responder directly), the
        // deadline is a timer of its own on a shared loop.
        guard let eventLoop = MultiThreadedEventLoopGroup.currentEventLoop else {
            let callback = try? MultiThreadedEventLoopGroup.singleton.next().scheduleCallback(at: uptime, handler: handler)
            defer { callback?.cancel() }
            return try await operation()
        }
        let queue = self.queue(on: eventLoop)
        queue.insert(handler, at: uptime)
        defer {
            if eventLoop.inEventLoop {
                queue.remove(handler)
            } else {
                eventLoop.execute { queue.remove(handler) }
            }
        }
        return try await operation()
    }

    /// The queue of the calling thread, which runs `eventLoop`.
    private func queue(on eventLoop: any EventLoop) -> DeadlineQueue {
        if let queue = self.queues.currentValue { return queue }
        let queue = DeadlineQueue(eventLoop: eventLoop)
        self.queues.currentValue = queue
        return queue
    }

    private static var now: Duration {
        .nanoseconds(NIODeadline.now().uptimeNanoseconds)
    }
}
