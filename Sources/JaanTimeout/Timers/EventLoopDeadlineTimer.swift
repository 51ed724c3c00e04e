import NIOCore
import NIOPosix

/// The default timer: a callback scheduled on the event loop the request runs on, and taken off the loop when it is
/// cancelled.
///
/// `ContinuousClock.sleep(until:)` would do the same job, but a cancelled sleep stays queued in the concurrency runtime
/// until its deadline (about 700 bytes each), so a server answering thousands of requests a second within a 60-second
/// timeout would hold hundreds of megabytes of dead timers.
struct EventLoopDeadlineTimer: DeadlineTimer {
    func deadline(after duration: Duration) -> NIODeadline {
        .now() + TimeAmount(duration)
    }

    func remaining(until deadline: NIODeadline) -> Duration {
        Duration(deadline - .now())
    }

    func start(
        at deadline: NIODeadline,
        handler: some DeadlineHandler,
        in group: inout ThrowingTaskGroup<Void, any Error>
    ) -> NIOScheduledCallback? {
        // Request tasks run on their connection's event loop, so this is usually that loop and scheduling takes no
        // thread hop. Scheduling fails only on a loop that is shutting down, which takes the server with it.
        let eventLoop = MultiThreadedEventLoopGroup.currentEventLoop ?? MultiThreadedEventLoopGroup.singleton.next()
        return try? eventLoop.scheduleCallback(at: deadline, handler: handler)
    }

    func cancel(_ handle: NIOScheduledCallback) {
        handle.cancel()
    }
}
