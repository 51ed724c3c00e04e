/// Any `Clock` measured in `Duration`, behind one concrete type, so that ``ConnectionPool`` keeps a single
/// generic parameter while tests inject a manual clock.
///
/// Instants are offsets from the wrapped clock's instant at creation.
@usableFromInline
package struct ErasedClock: Clock {
    /// A point in time: the offset from the wrapped clock's instant when this clock was made.
    @usableFromInline
    package struct Instant: InstantProtocol {
        @usableFromInline
        package typealias Duration = Swift.Duration

        @usableFromInline
        let offset: Duration

        @inlinable
        init(offset: Duration) {
            self.offset = offset
        }

        @inlinable
        package func advanced(by duration: Duration) -> Instant {
            Instant(offset: self.offset + duration)
        }

        @inlinable
        package func duration(to other: Instant) -> Duration {
            other.offset - self.offset
        }

        @inlinable
        package static func < (lhs: Instant, rhs: Instant) -> Bool {
            lhs.offset < rhs.offset
        }
    }

    @usableFromInline
    let readNow: @Sendable () -> Duration
    @usableFromInline
    let sleepUntil: @Sendable (Duration) async throws -> Void
    @usableFromInline
    package let minimumResolution: Duration

    /// Wraps `clock`.
    package init<Wrapped: Clock>(_ clock: Wrapped) where Wrapped.Duration == Duration {
        let origin = clock.now
        self.readNow = { origin.duration(to: clock.now) }
        self.sleepUntil = { offset in try await clock.sleep(until: origin.advanced(by: offset), tolerance: nil) }
        self.minimumResolution = clock.minimumResolution
    }

    @inlinable
    package var now: Instant {
        Instant(offset: self.readNow())
    }

    @usableFromInline
    package func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try await self.sleepUntil(deadline.offset)
    }
}
