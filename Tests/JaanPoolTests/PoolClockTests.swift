import JaanPool
import JaanPoolTesting
import Testing

/// The pool's clock: coarse stamps that never run ahead of the precise time, and injected clocks that drive both.
@Suite struct PoolClockTests {
    @Test func systemStampNeverRunsAheadOfThePreciseTime() {
        let clock = PoolClock.system
        for _ in 0..<10_000 {
            let stamp = clock.stamp
            let now = clock.now
            #expect(stamp <= now)
            // One scheduler tick is 1 to 10 ms; a second leaves room for a descheduled test thread.
            #expect(stamp.duration(to: now) < .seconds(1))
        }
    }

    @Test func systemClockSleepsUntilItsDeadline() async throws {
        let clock = PoolClock.system
        let deadline = clock.now.advanced(by: .milliseconds(20))
        try await clock.sleep(until: deadline, tolerance: nil)
        #expect(clock.now >= deadline)
        #expect(clock.stamp.duration(to: deadline) < .seconds(1))
    }

    @Test func systemClockSleepEndsWhenCancelled() async {
        let clock = PoolClock.system
        let sleeper = Task { try await clock.sleep(until: clock.now.advanced(by: .seconds(3600)), tolerance: nil) }
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
    }

    @Test func injectedClockGivesStampsAndPreciseTimeTheSameInstant() {
        let manual = ManualClock()
        let clock = PoolClock(manual)
        let start = clock.now
        #expect(clock.stamp == start)
        manual.advance(by: .seconds(5))
        #expect(start.duration(to: clock.now) == .seconds(5))
        #expect(start.duration(to: clock.stamp) == .seconds(5))
    }

    @Test func instantsSaturateInsteadOfOverflowing() {
        let start = PoolClock.system.now
        let far = start.advanced(by: .seconds(Int64.max))
        #expect(far > start)
        #expect(far.advanced(by: .seconds(1)) == far)
        #expect(start.advanced(by: .milliseconds(1500)).duration(to: start) == .milliseconds(-1500))
    }
}
