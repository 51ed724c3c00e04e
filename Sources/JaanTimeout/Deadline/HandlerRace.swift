import JaanHTTP
import NIOCore
import Synchronization

/// The race between the work of a request and its deadline: whichever side reaches the lock first wins, so work
/// that finishes at the very instant of the deadline still yields exactly one outcome.
///
/// When the deadline wins, the task serving the request is cancelled through its ``RequestCancellation``.
final class HandlerRace: DeadlineHandler, DeadlineScope, @unchecked Sendable {
    /// How the work ended, as far as the deadline is concerned.
    enum Outcome: Equatable {
        /// The work finished first; `handedOver` when a middleware further in had taken over the deadline.
        case inTime(handedOver: Bool)
        /// The deadline passed first.
        case expired
    }

    private enum Phase {
        case running
        /// A middleware further in took over the deadline; this one no longer fires.
        case handedOver
        case finished
        case expired
    }

    let timeout: Duration?
    let deadline: Duration
    let timer: any DeadlineTimer
    private let cancellation: RequestCancellation
    private let phase = Mutex(Phase.running)

    init(timeout: Duration, deadline: Duration, timer: any DeadlineTimer, cancellation: RequestCancellation) {
        self.timeout = timeout
        self.deadline = deadline
        self.timer = timer
        self.cancellation = cancellation
    }

    var remaining: Duration? {
        self.timer.remaining(until: self.deadline)
    }

    /// Starts the timer that calls ``deadlinePassed()`` at the deadline.
    func start() -> DeadlineWatch {
        self.timer.start(self, at: self.deadline)
    }

    /// The work is done: says whether it was in time, and stops the timer `start()` returned.
    func finish(stopping watch: DeadlineWatch) -> Outcome {
        defer { watch.stop() }
        return self.finish()
    }

    /// The work is done; says whether it was in time. Only the first call decides.
    func finish() -> Outcome {
        self.phase.withLock { phase in
            switch phase {
            case .running:
                phase = .finished
                return .inTime(handedOver: false)
            case .handedOver:
                phase = .finished
                return .inTime(handedOver: true)
            case .finished:
                return .inTime(handedOver: false)
            case .expired:
                return .expired
            }
        }
    }

    override func deadlinePassed() {
        let expired = self.phase.withLock { phase in
            guard case .running = phase else { return false }
            phase = .expired
            return true
        }
        if expired { self.cancellation.cancel() }
    }

    func handOver() -> Bool {
        self.phase.withLock { phase in
            switch phase {
            case .running, .handedOver:
                phase = .handedOver
                return true
            case .finished, .expired:
                // The work cannot have finished while a middleware inside it runs: the deadline won.
                return false
            }
        }
    }
}
