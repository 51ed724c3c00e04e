import NIOCore

/// A timer on any clock: a task that sleeps until the deadline. Tests use it with a clock they advance by hand.
struct ClockDeadlineTimer<TimerClock: Clock<Duration>>: DeadlineTimer {
    let clock: TimerClock
    /// The instant the timer's instants count from.
    private let origin: TimerClock.Instant

    init(clock: TimerClock) {
        self.clock = clock
        self.origin = clock.now
    }

    func deadline(afterNanoseconds nanoseconds: Int64) -> Int64 {
        TimeAmount(self.origin.duration(to: self.clock.now)).nanoseconds.saturatingAdvanced(by: nanoseconds)
    }

    func remaining(until deadline: Int64) -> Duration {
        .nanoseconds(deadline) - self.origin.duration(to: self.clock.now)
    }

    func start(_ handler: DeadlineHandler, at deadline: Int64) -> DeadlineWatch {
        let sleeper = Task { [clock, origin] in
            do {
                try await clock.sleep(until: origin.advanced(by: .nanoseconds(deadline)), tolerance: nil)
            } catch {
                return  // Stopped: the work returned before the deadline.
            }
            handler.deadlinePassed()
        }
        return .sleeper(sleeper)
    }
}
