public import CoreMetrics

/// The swift-metrics figures of one pool, each with a `pool` dimension naming it.
///
/// - `jaan_pool_connections` (gauge; `state`: `open`, `idle`, `leased`)
/// - `jaan_pool_waiters` (gauge)
/// - `jaan_pool_acquire_duration` (timer: time from asking to holding a connection)
/// - `jaan_pool_acquire_timeouts_total`, `jaan_pool_open_failures_total`, `jaan_pool_broken_connections_total`
///   (counters)
@usableFromInline
struct PoolMetrics: Sendable {
    @usableFromInline let open: Gauge
    @usableFromInline let idle: Gauge
    @usableFromInline let leased: Gauge
    @usableFromInline let waiters: Gauge
    @usableFromInline let acquireDuration: Timer
    @usableFromInline let timeouts: Counter
    @usableFromInline let openFailures: Counter
    @usableFromInline let broken: Counter

    init(poolName: String, factory: any MetricsFactory) {
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

    /// Publishes the idle and leased gauges alone, after a lease or return that moved nothing else.
    @inlinable
    func recordIdleAndLeased<Connection, Clock, Waiter>(_ gauges: PoolStateMachine<Connection, Clock, Waiter>.Gauges) {
        self.idle.record(gauges.idle)
        self.leased.record(gauges.leased)
    }

    /// Publishes the gauges.
    @inlinable
    func record<Connection, Clock, Waiter>(_ gauges: PoolStateMachine<Connection, Clock, Waiter>.Gauges) {
        self.open.record(gauges.open)
        self.idle.record(gauges.idle)
        self.leased.record(gauges.leased)
        self.waiters.record(gauges.waiters)
    }
}
