#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The pool's clock: the system's monotonic clock, or any `Clock` measured in `Duration` that a test injects,
/// behind one concrete type, so that ``ConnectionPool`` keeps a single generic parameter.
///
/// It reads time two ways. ``now`` is precise, for what a user can see to the millisecond: how long a borrower
/// waited, when a waiter times out, when a timer fires. ``stamp`` is for the bookkeeping of every lease and
/// return (when a connection went idle, when a lease began, whether a connection is past its lifetime), which
/// only feeds limits of seconds (idle timeout, validation threshold, lifetime, leak warning): on the system clock
/// it reads the kernel's coarse monotonic clock, which lags the precise one by at most one scheduler tick (1 to
/// 10 ms) and costs a memory read instead of a hardware clock read (a fifth of an uncontended lease on a virtual
/// machine). A stamp is never later than the precise time read after it, so a limit measured from stamps can
/// only end up to a tick early, never late. An injected clock gives the same instant to both, so tests that
/// move it drive every expiry.
@usableFromInline
package struct PoolClock: Clock {
    /// A point in time: nanoseconds since the clock's origin (boot for the system clock, the injected clock's
    /// instant when this clock was made otherwise). Whole nanoseconds in an `Int64` (292 years either way), so
    /// that comparing instants, as every lease and return does, is one integer comparison.
    @usableFromInline
    package struct Instant: InstantProtocol {
        @usableFromInline
        package typealias Duration = Swift.Duration

        @usableFromInline
        let nanoseconds: Int64

        @inlinable
        init(nanoseconds: Int64) {
            self.nanoseconds = nanoseconds
        }

        /// The instant `duration` later, saturating at the ends of the range.
        @inlinable
        package func advanced(by duration: Duration) -> Instant {
            let (sum, overflow) = self.nanoseconds.addingReportingOverflow(duration.nanoseconds)
            guard !overflow else { return Instant(nanoseconds: duration > .zero ? .max : .min) }
            return Instant(nanoseconds: sum)
        }

        @inlinable
        package func duration(to other: Instant) -> Duration {
            let (difference, overflow) = other.nanoseconds.subtractingReportingOverflow(self.nanoseconds)
            guard !overflow else { return .nanoseconds(other.nanoseconds) - .nanoseconds(self.nanoseconds) }
            return .nanoseconds(difference)
        }

        @inlinable
        package static func < (lhs: Instant, rhs: Instant) -> Bool {
            lhs.nanoseconds < rhs.nanoseconds
        }

        @inlinable
        package static func == (lhs: Instant, rhs: Instant) -> Bool {
            lhs.nanoseconds == rhs.nanoseconds
        }

        @inlinable
        package func hash(into hasher: inout Hasher) {
            hasher.combine(self.nanoseconds)
        }
    }

    @usableFromInline
    enum Source: Sendable {
        /// `CLOCK_MONOTONIC`, with `CLOCK_MONOTONIC_COARSE` for stamps.
        case system
        /// A clock given by the user, read and slept on through closures.
        case injected(now: @Sendable () -> Int64, sleepUntil: @Sendable (Int64) async throws -> Void)
    }

    @usableFromInline
    let source: Source
    @usableFromInline
    package let minimumResolution: Duration

    /// The system's monotonic clock (time spent suspended does not count, as for `SuspendingClock`).
    package static let system = PoolClock(source: .system, minimumResolution: .nanoseconds(1))

    private init(source: Source, minimumResolution: Duration) {
        self.source = source
        self.minimumResolution = minimumResolution
    }

    /// Wraps `clock`: both ``now`` and ``stamp`` read it.
    package init<Wrapped: Clock>(_ clock: Wrapped) where Wrapped.Duration == Duration {
        let origin = clock.now
        self.init(
            source: .injected(
                now: { origin.duration(to: clock.now).nanoseconds },
                sleepUntil: { offset in try await clock.sleep(until: origin.advanced(by: .nanoseconds(offset)), tolerance: nil) }
            ),
            minimumResolution: clock.minimumResolution
        )
    }

    /// The precise current instant.
    @inlinable
    package var now: Instant {
        switch self.source {
        case .system: Instant(nanoseconds: systemTime(coarse: false))
        case .injected(let now, _): Instant(nanoseconds: now())
        }
    }

    /// The current instant for bookkeeping: up to one scheduler tick early on the system clock, ``now`` on an
    /// injected clock.
    @inlinable
    package var stamp: Instant {
        switch self.source {
        case .system: Instant(nanoseconds: systemTime(coarse: true))
        case .injected(let now, _): Instant(nanoseconds: now())
        }
    }

    @usableFromInline
    package func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        switch self.source {
        case .system:
            // The concurrency runtime sleeps on a clock of its own: sleep again if it ends before this one's
            // deadline.
            while true {
                let now = systemTime(coarse: false)
                guard deadline.nanoseconds > now else { return }
                // Cannot overflow: `now` is time since boot, never negative.
                try await ContinuousClock().sleep(for: .nanoseconds(deadline.nanoseconds - now), tolerance: tolerance)
            }
        case .injected(_, let sleepUntil):
            try await sleepUntil(deadline.nanoseconds)
        }
    }
}

/// The system's monotonic time since boot, in nanoseconds; `coarse` reads the clock the kernel updates once per
/// tick.
@usableFromInline
func systemTime(coarse: Bool) -> Int64 {
    var time = timespec()
    #if os(Linux) || os(Android)
    let clock = coarse ? CLOCK_MONOTONIC_COARSE : CLOCK_MONOTONIC
    #else
    let clock = coarse ? CLOCK_UPTIME_RAW_APPROX : CLOCK_UPTIME_RAW
    #endif
    let result = clock_gettime(clock, &time)
    precondition(result == 0, "clock_gettime failed")
    return Int64(time.tv_sec) &* 1_000_000_000 &+ Int64(time.tv_nsec)
}

extension Duration {
    /// The duration in whole nanoseconds (rounded toward zero), clamped to `Int64`.
    @inlinable
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = self.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        let (sum, sumOverflow) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        guard !sumOverflow else { return seconds < 0 ? .min : .max }
        return sum
    }
}
