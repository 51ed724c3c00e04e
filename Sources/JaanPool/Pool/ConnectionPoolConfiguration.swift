/// The limits and timeouts of a ``ConnectionPool``, also spelled `ConnectionPool.Configuration`.
///
/// Every setting is a `var` with a default that matches the node-postgres pool of the original deployment
/// (50 max, 10 min, 30 s idle timeout, 2 s acquire timeout) or HikariCP's practice where node-postgres had none.
///
/// ```swift
/// var configuration = ConnectionPool<MySource>.Configuration()
/// configuration.maximumConnections = 20
/// configuration.acquireTimeout = .seconds(1)
/// ```
public struct ConnectionPoolConfiguration: Sendable {
    /// The most connections open at once, counting those being opened and closed. Defaults to 50.
    public var maximumConnections: Int = 50

    /// The connections kept open and warm even when idle. Defaults to 10.
    ///
    /// The pool opens them when ``ConnectionPool/run()`` starts and replaces them when they close.
    /// Values above ``maximumConnections`` are treated as ``maximumConnections``.
    public var minimumConnections: Int = 10

    /// How long a connection may sit idle before it is closed, while more than ``minimumConnections`` are open.
    /// Defaults to 30 seconds.
    public var idleTimeout: Duration = .seconds(30)

    /// How long a borrower waits for a connection before ``PoolError/exhausted`` is thrown. Defaults to 2 seconds.
    public var acquireTimeout: Duration = .seconds(2)

    /// The longest a connection is kept open, however busy; `nil` keeps connections forever. Defaults to 30 minutes.
    ///
    /// A leased connection that reaches its lifetime is closed when it comes back, never while in use.
    public var maximumLifetime: Duration? = .seconds(30 * 60)

    /// The most that is taken off each connection's ``maximumLifetime``, chosen at random per connection, so that
    /// connections opened together do not all expire together. Defaults to 1 minute.
    public var maximumLifetimeJitter: Duration = .seconds(60)

    /// How long a connection may sit idle before ``ConnectionSource/validate(_:)`` checks it again before it is
    /// lent. Defaults to 5 seconds.
    public var validationThreshold: Duration = .seconds(5)

    /// The most borrowers allowed to wait at once; one more fails at once with ``PoolError/tooManyWaiters``.
    /// Defaults to 10,000.
    public var maximumWaiters: Int = 10_000

    /// How long a lease may last before the pool logs a leak warning with the connection's id; `nil` never warns.
    /// Defaults to 60 seconds, the default statement timeout.
    public var leakWarningThreshold: Duration? = .seconds(60)

    /// How long a graceful shutdown waits for leased connections to come back before it closes them anyway.
    /// Defaults to 5 seconds.
    public var shutdownTimeout: Duration = .seconds(5)

    /// The first pause after a failed connection attempt; each further failure doubles it up to
    /// ``maximumConnectBackoff``. Defaults to 100 milliseconds.
    public var connectBackoff: Duration = .milliseconds(100)

    /// The longest pause between failed connection attempts. Defaults to 10 seconds.
    public var maximumConnectBackoff: Duration = .seconds(10)

    /// The pool's name, used as the `pool` dimension of its metrics and in its log metadata. Defaults to `"default"`.
    public var name: String = "default"

    /// Creates a configuration with every default.
    public init() {}
}

extension ConnectionPoolConfiguration {
    /// ``minimumConnections`` clamped to `0...maximumConnections`.
    @usableFromInline
    var effectiveMinimum: Int { max(0, min(self.minimumConnections, self.effectiveMaximum)) }

    /// ``maximumConnections``, at least one.
    @usableFromInline
    var effectiveMaximum: Int { max(1, self.maximumConnections) }

    /// The pause after `failures` consecutive failed connection attempts.
    @usableFromInline
    package func backoff(afterFailures failures: Int) -> Duration {
        var delay = self.connectBackoff
        var remaining = max(0, failures - 1)
        while remaining > 0 && delay < self.maximumConnectBackoff {
            delay *= 2
            remaining -= 1
        }
        return min(delay, self.maximumConnectBackoff)
    }
}
