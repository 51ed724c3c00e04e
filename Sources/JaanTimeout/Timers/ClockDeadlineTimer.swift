/// A timer on any clock: a child task that sleeps until the deadline. Tests use it with a clock they advance by hand.
struct ClockDeadlineTimer<TimerClock: Clock<Duration>>: DeadlineTimer {
    let clock: TimerClock

    func deadline(after duration: Duration) -> TimerClock.Instant {
        self.clock.now.advanced(by: duration)
    }

    func remaining(until deadline: TimerClock.Instant) -> Duration {
        self.clock.now.duration(to: deadline)
    }

    func start(
        at deadline: TimerClock.Instant,
        handler: some DeadlineHandler,
        in group: inout ThrowingTaskGroup<Void, any Error>
    ) -> Never? {
        group.addTask { [clock] in
            do {
                try await clock.sleep(until: deadline, tolerance: nil)
            } catch {
                return  // Cancelled: the race was decided without the deadline.
            }
            handler.deadlinePassed()
        }
        return nil
    }

    func cancel(_ handle: Never) {}
}
