public import CoreMetrics

/// The swift-metrics figures of one pool, each with a `pool` dimension naming it.
///
/// - `jaan_pool_connections` (gauge; `state`: `open`, `idle`, `leased`)
/// - `jaan_pool_waiters` (gauge)
/// - `jaan_pool_acquire_duration` (timer: time from asking to holding a connection)
/// - `jaan_pool_acquire_timeouts_total`, `jaan_pool_open_failures_total`, `jaan_pool_broken_connections_total`
///   (counters)
///
/// With the no-op factory (the default until an application bootstraps `MetricsSystem`, and a pool's metric
/// objects keep the handlers they were made with), the per-lease figures are not computed or sent at all: five
/// calls that do nothing are a tenth of an uncontended lease.
@usableFromInline
struct PoolMetrics: Sendable {
    /// Whether the figures go anywhere.
    @usableFromInline let isEnabled: Bool
    @usableFromInline let open: Gauge
    @usableFromInline let idle: Gauge
    @usableFromInline let leased: Gauge
    @usableFromInline let waiters: Gauge
    @usableFromInline let acquireDuration: Timer
    @usableFromInline let timeouts: Counter
    @usableFromInline let openFailures: Counter
    @usableFromInline let broken: Counter

    init(poolName: String, factory: any MetricsFactory) {
        self.isEnabled = !(factory is NOOPMetricsHandler)
        let pool = ("pool", poolName)
        self.open = Gauge(label: "jaan_pool_connections", dimensions: [pool, ("state", "open")], factory: factory)
        self.idle = Gauge(label: "jaan_pool_connections", dimensions: [pool, ("state", "idle")], factory: factory)
        self.leased = Gauge(label: "jaan_pool_connections", dimensions: [pool, ("state", "leased")], factory: factory)
        self.waiters = Gauge(label: "jaan_pool_waiters", dimensions: [pool], factory: factory)
        self.acquireDuration = Timer(label: "jaan_pool_acquire_duration", dimensions: [pool], factory: factory)
        self.timeouts = Counter(label: "jaan_pool_acquire_timeouts_total", dimensions: [pool], factory: factory)
        self.openFailures = Counter(label: "jaan_pool_open_failures_total", dimensions: [pool], factory: factory)
        self.broken = Counter(label: "jaan_pool_broken_connections_total", dimensions: [pool], factory: factory)
    }

    /// Records how long a borrower waited for its connection.
    @inlinable
    func recordAcquire(nanoseconds: Int64) {
        guard self.isEnabled else { return }
        self.acquireDuration.recordNanoseconds(nanoseconds)
    }

    /// Publishes the idle and leased gauges alone, after a lease or return that moved nothing else.
    @inlinable
    func recordIdleAndLeased<Connection, Clock, Waiter>(_ gauges: PoolStateMachine<Connection, Clock, Waiter>.Gauges) {
        guard self.isEnabled else { return }
        self.idle.record(gauges.idle)
        self.leased.record(gauges.leased)
    }

    /// Publishes the gauges.
    @inlinable
    func record<Connection, Clock, Waiter>(_ gauges: PoolStateMachine<Connection, Clock, Waiter>.Gauges) {
        guard self.isEnabled else { return }
        self.open.record(gauges.open)
        self.idle.record(gauges.idle)
        self.leased.record(gauges.leased)
        self.waiters.record(gauges.waiters)
    }
}
