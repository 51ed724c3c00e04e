import JaanHTTP
import NIOCore
import Synchronization

/// The race between the work of a request and its deadline: whichever side moves the race out of its running phase
/// first (one atomic compare-and-exchange each) wins, so work that finishes at the very instant of the deadline still
/// yields exactly one outcome.
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

    private enum Phase: UInt8, AtomicRepresentable {
        case running
        /// A middleware further in took over the deadline; this one no longer fires.
        case handedOver
        case finished
        case expired
    }

    let timeout: Duration?
    let deadline: Int64
    let timer: any DeadlineTimer
    private let cancellation: RequestCancellation
    private let phase = Atomic(Phase.running)

    init(timeout: Duration, deadline: Int64, timer: any DeadlineTimer, cancellation: RequestCancellation) {
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
        var phase = Phase.running
        while true {
            switch phase {
            case .running, .handedOver:
                let (exchanged, found) = self.phase.compareExchange(expected: phase, desired: .finished, ordering: .acquiringAndReleasing)
                if exchanged { return .inTime(handedOver: phase == .handedOver) }
                phase = found
            case .finished:
                return .inTime(handedOver: false)
            case .expired:
                return .expired
            }
        }
    }

    override func deadlinePassed() {
        if self.phase.compareExchange(expected: .running, desired: .expired, ordering: .acquiringAndReleasing).exchanged {
            self.cancellation.cancel()
        }
    }

    /// Stops this deadline, because a middleware further in sets the request's deadline instead.
    ///
    /// A race already handed over, or one that finished in time (left with the request by a middleware that ran
    /// earlier in the chain, as when a retry calls the chain again), has nothing left to stop.
    ///
    /// - Returns: `false` when the deadline has passed already: the request is being answered with 503.
    func handOver() -> Bool {
        self.phase.compareExchange(expected: .running, desired: .handedOver, ordering: .acquiringAndReleasing).original != .expired
    }
}
