import JaanHTTP
import NIOCore
import Synchronization

/// How a race between a handler and its deadline ended.
enum RaceOutcome: Sendable {
    /// The handler finished first, with a response or an error; `handedOver` when a middleware further in had taken
    /// over the deadline.
    case finished(Result<Response, any Error>, handedOver: Bool)
    /// The deadline passed first.
    case expired
}

/// The race between a request's handler and its deadline. Whichever side reaches the lock first wins, so a handler
/// that finishes at the very instant of the deadline still yields exactly one outcome.
final class HandlerRace<Timer: DeadlineTimer>: DeadlineHandler, DeadlineScope {
    private enum Phase {
        case running
        /// A middleware further in took over the deadline; the race waits for the handler only.
        case handedOver
        /// The winner is known and waits for the middleware to collect it.
        case decided(RaceOutcome)
        /// The middleware has the outcome.
        case delivered
    }

    private struct State {
        var phase = Phase.running
        var waiter: CheckedContinuation<RaceOutcome, Never>?
        var timer: Timer.Handle?
    }

    let timeout: Duration?
    let deadline: Timer.Instant
    let timer: Timer
    private let state = Mutex(State())

    init(timeout: Duration, timer: Timer) {
        self.timeout = timeout
        self.deadline = timer.deadline(after: timeout)
        self.timer = timer
    }

    var remaining: Duration? {
        self.timer.remaining(until: self.deadline)
    }

    /// Keeps the handle of the started timer, or cancels it at once when the race is over or handed over already.
    func timerStarted(_ handle: Timer.Handle?) {
        guard let handle else { return }
        let kept = self.state.withLock { state in
            guard case .running = state.phase else { return false }
            state.timer = handle
            return true
        }
        if !kept { self.timer.cancel(handle) }
    }

    /// The handler is done; called from the handler's task. A result that comes after the deadline is dropped.
    func finish(_ result: Result<Response, any Error>) {
        let (waiter, outcome, timer) = self.state.withLock { state -> (CheckedContinuation<RaceOutcome, Never>?, RaceOutcome?, Timer.Handle?) in
            let outcome: RaceOutcome
            switch state.phase {
            case .running: outcome = .finished(result, handedOver: false)
            case .handedOver: outcome = .finished(result, handedOver: true)
            case .decided, .delivered: return (nil, nil, nil)
            }
            let timer = state.timer.take()
            guard let waiter = state.waiter.take() else {
                state.phase = .decided(outcome)
                return (nil, nil, timer)
            }
            state.phase = .delivered
            return (waiter, outcome, timer)
        }
        if let timer { self.timer.cancel(timer) }
        if let waiter, let outcome { waiter.resume(returning: outcome) }
    }

    func deadlinePassed() {
        let waiter = self.state.withLock { state -> CheckedContinuation<RaceOutcome, Never>? in
            guard case .running = state.phase else { return nil }
            state.timer = nil
            guard let waiter = state.waiter.take() else {
                state.phase = .decided(.expired)
                return nil
            }
            state.phase = .delivered
            return waiter
        }
        waiter?.resume(returning: .expired)
    }

    func handOver() -> Bool {
        let (handedOver, timer) = self.state.withLock { state -> (Bool, Timer.Handle?) in
            switch state.phase {
            case .running:
                state.phase = .handedOver
                return (true, state.timer.take())
            case .handedOver:
                return (true, nil)
            case .decided, .delivered:
                // The handler cannot have finished while a middleware inside it runs: the deadline won.
                return (false, nil)
            }
        }
        if let timer { self.timer.cancel(timer) }
        return handedOver
    }

    /// Waits for the outcome of the race.
    func outcome() async -> RaceOutcome {
        await withCheckedContinuation { continuation in
            let ready = self.state.withLock { state -> RaceOutcome? in
                guard case .decided(let outcome) = state.phase else {
                    state.waiter = continuation
                    return nil
                }
                state.phase = .delivered
                return outcome
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
