import NIOCore
import NIOPosix

/// The default timer: a callback scheduled on the event loop the request runs on, and taken off the loop when the
/// operation it bounds returns. Its instants are NIO's uptime clock readings.
///
/// `ContinuousClock.sleep(until:)` would do the same job, but a cancelled sleep stays queued in the concurrency runtime
/// until its deadline (about 700 bytes each), so a server answering thousands of requests a second within a 60-second
/// timeout would hold hundreds of megabytes of dead timers.
struct EventLoopDeadlineTimer: DeadlineTimer {
    func deadline(after duration: Duration) -> Duration {
        Self.now + duration
    }

    func remaining(until deadline: Duration) -> Duration {
        deadline - Self.now
    }

    func withDeadline<Value>(
        at deadline: Duration,
        handler: some DeadlineHandler,
        _ operation: () async throws -> Value
    ) async throws -> Value {
        // Request tasks run on their connection's event loop, so this is usually that loop and scheduling takes no
        // thread hop. Scheduling fails only on a loop that is shutting down, which takes the server with it.
        let eventLoop = MultiThreadedEventLoopGroup.currentEventLoop ?? MultiThreadedEventLoopGroup.singleton.next()
        let (seconds, attoseconds) = deadline.components
        let uptime = UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
        let callback = try? eventLoop.scheduleCallback(at: .uptimeNanoseconds(uptime), handler: handler)
        defer { callback?.cancel() }
        return try await operation()
    }

    private static var now: Duration {
        .nanoseconds(NIODeadline.now().uptimeNanoseconds)
    }
}
