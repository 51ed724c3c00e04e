/// A snapshot of a ``ConnectionPool``'s figures, also spelled `ConnectionPool.Statistics`.
///
/// Read it from ``ConnectionPool/statistics`` for a readiness endpoint or a dashboard; the same figures are
/// published through swift-metrics.
public struct ConnectionPoolStatistics: Sendable, Hashable, CustomStringConvertible {
    /// Connections open: idle plus leased.
    public var open: Int
    /// Open connections waiting to be lent.
    public var idle: Int
    /// Open connections lent to borrowers.
    public var leased: Int
    /// Connections being opened.
    public var opening: Int
    /// Connections being closed.
    public var closing: Int
    /// Borrowers waiting for a connection.
    public var waiters: Int
    /// The configured ``ConnectionPoolConfiguration/maximumConnections``.
    public var maximumConnections: Int
    /// Leases granted since the pool was created.
    public var leases: Int
    /// Borrowers that gave up after ``ConnectionPoolConfiguration/acquireTimeout``, since the pool was created.
    public var timeouts: Int
    /// Failed connection attempts since the pool was created.
    public var openFailures: Int
    /// Connections discarded because they came back unusable or failed validation, since the pool was created.
    public var brokenConnections: Int
    /// Whether the pool has begun to shut down and lends nothing more.
    public var isShuttingDown: Bool

    /// Creates a snapshot; the pool makes these, tests may too.
    public init(
        open: Int = 0,
        idle: Int = 0,
        leased: Int = 0,
        opening: Int = 0,
        closing: Int = 0,
        waiters: Int = 0,
        maximumConnections: Int = 0,
        leases: Int = 0,
        timeouts: Int = 0,
        openFailures: Int = 0,
        brokenConnections: Int = 0,
        isShuttingDown: Bool = false
    ) {
        self.open = open
        self.idle = idle
        self.leased = leased
        self.opening = opening
        self.closing = closing
        self.waiters = waiters
        self.maximumConnections = maximumConnections
        self.leases = leases
        self.timeouts = timeouts
        self.openFailures = openFailures
        self.brokenConnections = brokenConnections
        self.isShuttingDown = isShuttingDown
    }

    /// The figures as `key: value` pairs on one line.
    public var description: String {
        "open: \(self.open), idle: \(self.idle), leased: \(self.leased), opening: \(self.opening), "
            + "closing: \(self.closing), waiters: \(self.waiters), maximum: \(self.maximumConnections), "
            + "leases: \(self.leases), timeouts: \(self.timeouts), openFailures: \(self.openFailures), "
            + "broken: \(self.brokenConnections), shuttingDown: \(self.isShuttingDown)"
    }
}
