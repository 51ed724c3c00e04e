/// Any `Clock` measured in `Duration`, behind one concrete type, so that ``ConnectionPool`` keeps a single
/// generic parameter while tests inject a manual clock.
///
/// Instants are offsets from the wrapped clock's instant at creation.
package struct ErasedClock: Clock {
    /// A point in time: the offset from the wrapped clock's instant when this clock was made.
    package struct Instant: InstantProtocol {
        package typealias Duration = Swift.Duration

        let offset: Duration

        package func advanced(by duration: Duration) -> Instant {
            Instant(offset: self.offset + duration)
        }

        package func duration(to other: Instant) -> Duration {
            other.offset - self.offset
        }

        package static func < (lhs: Instant, rhs: Instant) -> Bool {
            lhs.offset < rhs.offset
        }
    }

    private let readNow: @Sendable () -> Duration
    private let sleepUntil: @Sendable (Duration) async throws -> Void
    package let minimumResolution: Duration

    /// Wraps `clock`.
    package init<Wrapped: Clock>(_ clock: Wrapped) where Wrapped.Duration == Duration {
        let origin = clock.now
        self.readNow = { origin.duration(to: clock.now) }
        self.sleepUntil = { offset in try await clock.sleep(until: origin.advanced(by: offset), tolerance: nil) }
        self.minimumResolution = clock.minimumResolution
    }

    package var now: Instant {
        Instant(offset: self.readNow())
    }

    package func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try await self.sleepUntil(deadline.offset)
    }
}
