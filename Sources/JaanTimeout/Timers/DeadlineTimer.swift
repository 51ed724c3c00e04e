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
/// Instants are nanoseconds since the timer's own origin: plain integers, so that a request's deadline costs no
/// 128-bit arithmetic, as `Duration` would, and what holds a timer need not be generic over its clock (generic code
/// that is not specialized looks up type metadata on every request).
///
/// Starting and stopping are synchronous, so that the middleware awaits nothing but the rest of the chain: each
/// async call it wraps around the chain costs every request an executor switch on the way back.
protocol DeadlineTimer: Sendable {
    /// The instant `nanoseconds` from now.
    func deadline(afterNanoseconds nanoseconds: Int64) -> Int64

    /// The time from now until `deadline`; zero or less once it has passed.
    func remaining(until deadline: Int64) -> Duration

    /// Calls `handler` at `deadline`, unless the returned watch is stopped first.
    func start(_ handler: DeadlineHandler, at deadline: Int64) -> DeadlineWatch
}

extension Int64 {
    /// The instant `nanoseconds` after this one, or the last instant there is.
    func saturatingAdvanced(by nanoseconds: Int64) -> Int64 {
        let (sum, overflow) = self.addingReportingOverflow(nanoseconds)
        return overflow ? (nanoseconds < 0 ? .min : .max) : sum
    }
}

/// A started deadline timer, stopped once the work it bounds has returned.
enum DeadlineWatch {
    /// The handler waits in its event loop's list of deadlines.
    case queued(DeadlineQueue, DeadlineHandler)
    /// A timer of its own on an event loop, or none if the loop refused it.
    case callback(NIOScheduledCallback?)
    /// A task sleeping on a clock until the deadline.
    case sleeper(Task<Void, Never>)

    /// Stops the timer; the handler is not called after its deadline, unless it has been already.
    func stop() {
        switch self {
        case .queued(let queue, let handler):
            if queue.eventLoop.inEventLoop {
                queue.remove(handler)
            } else {
                queue.eventLoop.execute { queue.remove(handler) }
            }
        case .callback(let callback):
            callback?.cancel()
        case .sleeper(let task):
            task.cancel()
        }
    }
}
