import DequeModule

/// The pool's bookkeeping and timing as a value type: every method takes an event (a borrower arrives, a
/// connection comes back, a connect finished, a timer fired), updates the state and returns the ``Actions``
/// the caller must carry out. It does no I/O, reads no clock and starts no task, so it is tested synchronously
/// with any `Clock`'s instants.
///
/// `Waiter` is what the caller resumes when a borrower is served (a continuation in the pool, a plain value in
/// tests).
package struct PoolStateMachine<Connection: Sendable, Clock: _Concurrency.Clock, Waiter: Sendable>: Sendable
where Clock.Duration == Duration {
    package typealias Instant = Clock.Instant

    /// A connection lent to a borrower.
    package typealias Lease = PoolLease<Connection>

    /// Why a connection is closed.
    package enum CloseReason: Sendable, Hashable {
        case idleTimeout
        case lifetimeExpired
        case broken
        case shutdown
        case forcedAtShutdownDeadline
    }

    /// I/O and timing the caller must start.
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
    package struct Actions: Sendable {
        /// A waiter to resume with a lease.
        package var lend: (waiter: Waiter, lease: Lease)?
        /// Waiters to resume with an error.
        package var failures: [(waiter: Waiter, error: PoolError)] = []
        /// I/O and timers to start.
        package var work: [Work] = []
        /// How many of `failures` are acquire timeouts.
        package var timeouts = 0

        /// No action.
        package init() {}
    }

    /// The answer to a borrower that arrives.
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

    enum Phase: Sendable {
        case running
        case draining(deadline: Instant)
        case stopped
    }

    struct OpenConnection: Sendable {
        let id: Int
        let connection: Connection
        let expiresAt: Instant?
    }

    enum Slot: Sendable {
        case free
        case opening(id: Int)
        case idle(OpenConnection)
        case leased(OpenConnection, since: Instant, warned: Bool)
        case closing(id: Int)
    }

    struct IdleEntry: Sendable {
        let slot: Int
        let since: Instant
    }

    struct WaiterEntry: Sendable {
        let ticket: Int
        let waiter: Waiter
        let deadline: Instant
    }

    let configuration: ConnectionPoolConfiguration
    let maximum: Int
    let minimum: Int

    var phase: Phase = .running
    var slots: [Slot]
    var freeSlots: [Int]
    /// Idle connections, oldest first; connections are lent from the back (most recently used).
    var idle: Deque<IdleEntry> = []
    var waiters: Deque<WaiterEntry> = []
    var leasedCount = 0
    var openingCount = 0
    var closingCount = 0

    var nextConnectionID = 0
    var nextTicket = 0
    var consecutiveFailures = 0
    var backoffUntil: Instant?
    var lastConnectError: (any Error)?

    var scheduledTimer: Instant?
    var lifetimeDeadline: Instant?
    var leakCheckDeadline: Instant?

    var totalLeases = 0
    var totalTimeouts = 0
    var totalOpenFailures = 0
    var totalBroken = 0

    /// Creates the state of an empty, running pool.
    package init(configuration: ConnectionPoolConfiguration) {
        self.configuration = configuration
        self.maximum = configuration.effectiveMaximum
        self.minimum = configuration.effectiveMinimum
        self.slots = Array(repeating: .free, count: self.maximum)
        self.freeSlots = Array((0..<self.maximum).reversed())
    }

    var openCount: Int { self.idle.count + self.leasedCount }

    var isRunning: Bool {
        if case .running = self.phase { return true }
        return false
    }

    /// The pool's figures now.
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

    func error(_ code: PoolError.Code, underlying: (any Error)? = nil) -> PoolError {
        PoolError(code, statistics: self.statistics, underlying: underlying)
    }
}

/// A connection lent to a borrower, to be given back with ``PoolStateMachine/release(_:usable:now:)``.
package struct PoolLease<Connection: Sendable>: Sendable {
    /// Where the connection lives in the pool.
    package let slot: Int
    /// The pool-wide id of the connection, unique for the pool's life.
    package let connectionID: Int
    /// The connection itself.
    package let connection: Connection
    /// Whether the connection sat idle past the validation threshold and must be validated before use.
    package let needsValidation: Bool
}
