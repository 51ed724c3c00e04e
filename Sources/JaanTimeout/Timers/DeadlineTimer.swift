import NIOCore

/// Something a deadline timer calls when its deadline passes: a request's ``HandlerRace``; subclasses override
/// ``deadlinePassed()``.
///
/// A class rather than a protocol so that an event loop's ``DeadlineQueue`` links handlers into its list directly,
/// without an entry allocated per request. The links belong to the queue and are touched only on its loop, which is
/// what makes the `@unchecked Sendable` sound.
class DeadlineHandler: NIOScheduledCallbackHandler, @unchecked Sendable {
    /// The queue's links: the deadline the handler is queued for, its neighbours, and whether it is queued.
    var queuedDeadline = NIODeadline.distantFuture
    var queuedBefore: DeadlineHandler?
    var queuedAfter: DeadlineHandler?
    var isQueued = false

    /// Called once, at the deadline, unless the timer was stopped first.
    func deadlinePassed() {}

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
    ///
    /// Not generic, so that a call through `any DeadlineTimer` needs no type metadata and copies no value through
    /// value witnesses: the operation stores its own result.
    nonisolated(nonsending) func withDeadline(
        at deadline: Duration,
        handler: DeadlineHandler,
        _ operation: nonisolated(nonsending) () async throws -> Void
    ) async throws
}
