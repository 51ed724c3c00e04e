import NIOCore

/// Something a deadline timer calls when its deadline passes.
protocol DeadlineHandler: NIOScheduledCallbackHandler, Sendable, AnyObject {
    /// Called once, at the deadline, unless the timer was cancelled first.
    func deadlinePassed()
}

extension DeadlineHandler {
    func handleScheduledCallback(eventLoop: some EventLoop) {
        self.deadlinePassed()
    }
}

/// Tells a ``DeadlineHandler`` when a deadline passes, and measures the time left until it.
protocol DeadlineTimer: Sendable {
    /// A point in time on the timer's clock.
    associatedtype Instant: Sendable
    /// What cancels a started timer.
    associatedtype Handle: Sendable

    /// The instant `duration` from now.
    func deadline(after duration: Duration) -> Instant

    /// The time from now until `deadline`; zero or less once it has passed.
    func remaining(until deadline: Instant) -> Duration

    /// Starts a timer that calls `handler` at `deadline`.
    ///
    /// - Returns: The handle that cancels the timer, or `nil` when the timer is a child task added to `group`, which
    ///   the caller cancels with the group's other children.
    func start(
        at deadline: Instant,
        handler: some DeadlineHandler,
        in group: inout ThrowingTaskGroup<Void, any Error>
    ) -> Handle?

    /// Cancels a timer, so that it never calls its handler.
    func cancel(_ handle: Handle)
}
