import NIOCore

/// Something a deadline timer calls when its deadline passes.
protocol DeadlineHandler: NIOScheduledCallbackHandler, Sendable, AnyObject {
    /// Called once, at the deadline, unless the timer was stopped first.
    func deadlinePassed()
}

extension DeadlineHandler {
    func handleScheduledCallback(eventLoop: some EventLoop) {
        self.deadlinePassed()
    }
}

/// Tells a ``DeadlineHandler`` when a deadline passes, and measures the time left until it.
///
/// Instants are durations since the timer's own origin, so that what holds a timer need not be generic over its
/// clock: generic code that is not specialized looks up type metadata on every request.
protocol DeadlineTimer: Sendable {
    /// The instant `duration` from now, as the time since the timer's origin.
    func deadline(after duration: Duration) -> Duration

    /// The time from now until `deadline`; zero or less once it has passed.
    func remaining(until deadline: Duration) -> Duration

    /// Runs `operation` while a timer calls `handler` at `deadline`; the timer stops when `operation` returns.
    func withDeadline<Value>(
        at deadline: Duration,
        handler: some DeadlineHandler,
        _ operation: () async throws -> Value
    ) async throws -> Value
}
