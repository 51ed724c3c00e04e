public import CoreMetrics
public import Logging
public import ServiceLifecycle
public import Synchronization

/// A pool of connections opened by a ``ConnectionSource``, lent one borrower at a time.
///
/// The pool keeps ``ConnectionPoolConfiguration/minimumConnections`` open and warm, opens more in the background
/// while borrowers wait (never more than ``ConnectionPoolConfiguration/maximumConnections``), serves waiters
/// first in, first out, closes connections idle too long or past their lifetime, validates connections that sat
/// idle, and replaces connections that come back broken.
///
/// Run it as a swift-service-lifecycle service, and borrow with ``withConnection(isolation:_:)``:
///
/// ```swift
/// let pool = ConnectionPool(source: MySource(), logger: logger)
/// try await withThrowingDiscardingTaskGroup { group in
///     group.addTask { try await pool.run() }
///     let answer = try await pool.withConnection { connection in
///         try await connection.query("SELECT 1")
///     }
///     group.cancelAll()
/// }
/// ```
///
/// - Important: ``run()`` must be running for connections to be opened and closed and for timeouts to fire.
///   Borrowers that arrive before it starts wait for it.
public final class ConnectionPool<Source: ConnectionSource>: Service, Sendable {
    /// The pool's limits and timeouts.
    public typealias Configuration = ConnectionPoolConfiguration
    /// A snapshot of the pool's figures.
    public typealias Statistics = ConnectionPoolStatistics

    @usableFromInline typealias Lease = PoolLease<Source.Connection>
    @usableFromInline typealias Waiter = UnsafeContinuation<Lease, any Error>
    @usableFromInline typealias Machine = PoolStateMachine<Source.Connection, PoolClock, Waiter>

    @usableFromInline let source: Source
    @usableFromInline let configuration: Configuration
    @usableFromInline let logger: Logger
    @usableFromInline let clock: PoolClock
    @usableFromInline let state: Mutex<Machine>
    @usableFromInline let mailbox = Mailbox<Machine.Work>()
    @usableFromInline let metrics: PoolMetrics

    /// Creates a pool that measures time with the system's monotonic clock and reports to `metricsFactory`.
    ///
    /// Idle times, lifetimes, the validation threshold and leak warnings are measured from coarse time stamps, which
    /// may end them up to one scheduler tick (1 to 10 ms) early; acquire waits and timeouts are measured precisely.
    ///
    /// - Parameters:
    ///   - source: opens and validates the connections.
    ///   - configuration: limits and timeouts; defaults to ``ConnectionPoolConfiguration/init()``.
    ///   - metricsFactory: receives the pool's metrics; defaults to the factory bootstrapped in `MetricsSystem`.
    ///   - logger: receives the pool's events, with the pool's name in the metadata.
    public convenience init(
        source: Source,
        configuration: Configuration = .init(),
        metricsFactory: any MetricsFactory = MetricsSystem.factory,
        logger: Logger
    ) {
        self.init(source: source, configuration: configuration, clock: .system, metricsFactory: metricsFactory, logger: logger)
    }

    /// Creates a pool that measures time with `clock` and reports to `metricsFactory`.
    ///
    /// Inject a manual clock (such as `JaanPoolTesting`'s `ManualClock`) to test timeouts without waiting.
    ///
    /// - Parameters:
    ///   - source: opens and validates the connections.
    ///   - configuration: limits and timeouts; defaults to ``ConnectionPoolConfiguration/init()``.
    ///   - clock: measures idle times, lifetimes and timeouts.
    ///   - metricsFactory: receives the pool's metrics; defaults to the factory bootstrapped in `MetricsSystem`.
    ///   - logger: receives the pool's events, with the pool's name in the metadata.
    public convenience init<InjectedClock: Clock>(
        source: Source,
        configuration: Configuration = .init(),
        clock: InjectedClock,
        metricsFactory: any MetricsFactory = MetricsSystem.factory,
        logger: Logger
    ) where InjectedClock.Duration == Duration {
        self.init(source: source, configuration: configuration, clock: PoolClock(clock), metricsFactory: metricsFactory, logger: logger)
    }

    init(source: Source, configuration: Configuration, clock: PoolClock, metricsFactory: any MetricsFactory, logger: Logger) {
        self.source = source
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "jaan.pool"] = "\(configuration.name)"
        self.logger = logger
        self.clock = clock
        self.state = Mutex(Machine(configuration: configuration))
        self.metrics = PoolMetrics(poolName: configuration.name, factory: metricsFactory)
    }

    /// A snapshot of the pool's figures: open, idle, leased and waiting counts, and totals of leases, timeouts,
    /// failed connection attempts and broken connections.
    @inlinable
    public var statistics: Statistics {
        self.state.withLock { $0.statistics }
    }

    /// Lends a connection to `body` and takes it back when `body` returns, throws or is cancelled.
    ///
    /// Waits, first in first out, up to ``ConnectionPoolConfiguration/acquireTimeout`` when every connection is
    /// leased. A connection whose ``PooledConnection/isUsable`` is `false` when it comes back is closed and
    /// replaced. Cancelling the task while it waits removes it from the queue at once and throws
    /// `CancellationError`.
    ///
    /// - Parameters:
    ///   - isolation: the actor to run `body` on; defaults to the caller's.
    ///   - body: the work to do with the connection. Do not keep the connection beyond it.
    /// - Returns: what `body` returns.
    /// - Throws: a ``PoolError`` when no connection can be lent (``PoolError/Code/exhausted``,
    ///   ``PoolError/Code/tooManyWaiters``, ``PoolError/Code/shutdown``, ``PoolError/Code/connectFailed``),
    ///   `CancellationError` when cancelled while waiting, or what `body` throws.
    @inlinable
    public func withConnection<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (Source.Connection) async throws -> Result
    ) async throws -> Result {
        let candidate = self.leaseIdleConnection()
        let lease: Lease
        if let candidate, !candidate.needsValidation {
            lease = candidate
        } else {
            lease = try await self.acquire(validating: candidate, isolation: isolation)
        }
        let result: Result
        do {
            result = try await body(lease.connection)
        } catch {
            self.release(lease, usable: lease.connection.isUsable)
            throw error
        }
        self.release(lease, usable: lease.connection.isUsable)
        return result
    }
}
