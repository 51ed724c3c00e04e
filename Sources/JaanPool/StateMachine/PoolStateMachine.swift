public import DequeModule

/// The pool's bookkeeping and timing as a value type: every method takes an event (a borrower arrives, a
/// connection comes back, a connect finished, a timer fired), updates the state and returns the ``Actions``
/// the caller must carry out. It does no I/O, reads no clock and starts no task, so it is tested synchronously
/// with any `Clock`'s instants.
///
/// `Waiter` is what the caller resumes when a borrower is served (a continuation in the pool, a plain value in
/// tests).
@usableFromInline
package struct PoolStateMachine<Connection: Sendable, Clock: _Concurrency.Clock, Waiter: Sendable>: Sendable
where Clock.Duration == Duration {
    @usableFromInline
    package typealias Instant = Clock.Instant

    /// A connection lent to a borrower.
    @usableFromInline
    package typealias Lease = PoolLease<Connection>

    /// Why a connection is closed.
    @usableFromInline
    package enum CloseReason: Sendable, Hashable {
        case idleTimeout
        case lifetimeExpired
        case broken
        case shutdown
        case forcedAtShutdownDeadline
    }

    /// I/O and timing the caller must start.
    @usableFromInline
    package enum Work: Sendable {
        /// Open a connection into `slot`, then report with ``connectionOpened(slot:connectionID:connection:now:jitter:)``
        /// or ``connectFailed(slot:connectionID:error:now:)``.
        case open(slot: Int, connectionID: Int)
        /// Close the connection, then report with ``connectionClosed(slot:connectionID:now:)``.
        case close(slot: Int, connectionID: Int, connection: Connection, reason: CloseReason)
        /// Call ``timerFired(deadline:now:)`` at `deadline`.
        case schedule(Instant)
        /// A lease has lasted longer than the leak warning threshold.
        case leakWarning(connectionID: Int, heldFor: Duration)
        /// Shutdown has finished: nothing is open, opening or closing any more.
        case shutdownComplete
    }

    /// What to do after an event.
    @usableFromInline
    package struct Actions: Sendable {
        /// A waiter to resume with a lease.
        @usableFromInline
        package var lend: (waiter: Waiter, lease: Lease)?
        /// Waiters to resume with an error.
        @usableFromInline
        package var failures: [(waiter: Waiter, error: PoolError)] = []
        /// I/O and timers to start.
        @usableFromInline
        package var work: [Work] = []
        /// How many of `failures` are acquire timeouts.
        @usableFromInline
        package var timeouts = 0

        /// No action.
        @inlinable
        package init() {}

        /// Whether there is nothing to do.
        @inlinable
        package var isEmpty: Bool {
            self.lend == nil && self.failures.isEmpty && self.work.isEmpty && self.timeouts == 0
        }
    }

    /// The answer to a borrower that arrives.
    @usableFromInline
    package enum Decision: Sendable {
        /// Use this connection now.
        case lend(Lease)
        /// Wait: enqueue with ``enqueue(ticket:waiter:now:)`` under this ticket.
        case wait(ticket: Int)
        /// The borrower was queued and will be resumed through ``Actions``.
        case enqueued
        /// Fail the borrower with this error.
        case fail(PoolError)
    }

    @usableFromInline
    enum Phase: Sendable {
        case running
        case draining(deadline: Instant)
        case stopped
    }

    @usableFromInline
    struct OpenConnection: Sendable {
        @usableFromInline
        let id: Int
        @usableFromInline
        let connection: Connection
        @usableFromInline
        let expiresAt: Instant?

        @inlinable
        init(id: Int, connection: Connection, expiresAt: Instant?) {
            self.id = id
            self.connection = connection
            self.expiresAt = expiresAt
        }
    }

    @usableFromInline
    enum Slot: Sendable {
        case free
        case opening(id: Int)
        case idle(OpenConnection)
        case leased(OpenConnection, since: Instant, warned: Bool)
        case closing(id: Int)
    }

    @usableFromInline
    struct IdleEntry: Sendable {
        @usableFromInline
        let slot: Int
        @usableFromInline
        let since: Instant

        @inlinable
        init(slot: Int, since: Instant) {
            self.slot = slot
            self.since = since
        }
    }

    @usableFromInline
    struct WaiterEntry: Sendable {
        @usableFromInline
        let ticket: Int
        @usableFromInline
        let waiter: Waiter
        @usableFromInline
        let deadline: Instant

        @inlinable
        init(ticket: Int, waiter: Waiter, deadline: Instant) {
            self.ticket = ticket
            self.waiter = waiter
            self.deadline = deadline
        }
    }

    @usableFromInline
    let configuration: ConnectionPoolConfiguration
    @usableFromInline
    let maximum: Int
    @usableFromInline
    let minimum: Int

    @usableFromInline
    var phase: Phase = .running
    @usableFromInline
    var slots: [Slot]
    @usableFromInline
    var freeSlots: [Int]
    /// Idle connections, oldest first; connections are lent from the back (most recently used).
    @usableFromInline
    var idle: Deque<IdleEntry> = []
    @usableFromInline
    var waiters: Deque<WaiterEntry> = []
    @usableFromInline
    var leasedCount = 0
    @usableFromInline
    var openingCount = 0
    @usableFromInline
    var closingCount = 0

    @usableFromInline
    var nextConnectionID = 0
    @usableFromInline
    var nextTicket = 0
    @usableFromInline
    var consecutiveFailures = 0
    @usableFromInline
    var backoffUntil: Instant?
    @usableFromInline
    var lastConnectError: (any Error)?

    @usableFromInline
    var scheduledTimer: Instant?
    @usableFromInline
    var lifetimeDeadline: Instant?
    @usableFromInline
    var leakCheckDeadline: Instant?

    @usableFromInline
    var totalLeases = 0
    @usableFromInline
    var totalTimeouts = 0
    @usableFromInline
    var totalOpenFailures = 0
    @usableFromInline
    var totalBroken = 0

    /// Creates the state of an empty, running pool.
    package init(configuration: ConnectionPoolConfiguration) {
        self.configuration = configuration
        self.maximum = configuration.effectiveMaximum
        self.minimum = configuration.effectiveMinimum
        self.slots = Array(repeating: .free, count: self.maximum)
        self.freeSlots = Array((0..<self.maximum).reversed())
    }

    @inlinable
    var openCount: Int { self.idle.count + self.leasedCount }

    @inlinable
    var isRunning: Bool {
        if case .running = self.phase { return true }
        return false
    }

    /// The figures published as gauges.
    @usableFromInline
    package struct Gauges: Sendable {
        @usableFromInline let open: Int
        @usableFromInline let idle: Int
        @usableFromInline let leased: Int
        @usableFromInline let waiters: Int

        @inlinable
        init(open: Int, idle: Int, leased: Int, waiters: Int) {
            self.open = open
            self.idle = idle
            self.leased = leased
            self.waiters = waiters
        }
    }

    /// The figures published as gauges, now.
    @inlinable
    package var gauges: Gauges {
        Gauges(open: self.openCount, idle: self.idle.count, leased: self.leasedCount, waiters: self.waiters.count)
    }

    /// The pool's figures now.
    @inlinable
    package var statistics: ConnectionPoolStatistics {
        ConnectionPoolStatistics(
            open: self.openCount,
            idle: self.idle.count,
            leased: self.leasedCount,
            opening: self.openingCount,
            closing: self.closingCount,
            waiters: self.waiters.count,
            maximumConnections: self.maximum,
            leases: self.totalLeases,
            timeouts: self.totalTimeouts,
            openFailures: self.totalOpenFailures,
            brokenConnections: self.totalBroken,
            isShuttingDown: !self.isRunning
        )
    }

    @inlinable
    func error(_ code: PoolError.Code, underlying: (any Error)? = nil) -> PoolError {
        PoolError(code, statistics: self.statistics, underlying: underlying)
    }
}

/// A connection lent to a borrower, to be given back with ``PoolStateMachine/release(_:usable:now:)``.
@usableFromInline
package struct PoolLease<Connection: Sendable>: Sendable {
    /// Where the connection lives in the pool.
    @usableFromInline
    package let slot: Int
    /// The pool-wide id of the connection, unique for the pool's life.
    @usableFromInline
    package let connectionID: Int
    /// The connection itself.
    @usableFromInline
    package let connection: Connection
    /// Whether the connection sat idle past the validation threshold and must be validated before use.
    @usableFromInline
    package let needsValidation: Bool

    @inlinable
    init(slot: Int, connectionID: Int, connection: Connection, needsValidation: Bool) {
        self.slot = slot
        self.connectionID = connectionID
        self.connection = connection
        self.needsValidation = needsValidation
    }
}
