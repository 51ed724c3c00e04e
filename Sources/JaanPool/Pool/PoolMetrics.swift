import CoreMetrics

/// The swift-metrics figures of one pool, each with a `pool` dimension naming it.
///
/// - `jaan_pool_connections` (gauge; `state`: `open`, `idle`, `leased`)
/// - `jaan_pool_waiters` (gauge)
/// - `jaan_pool_acquire_duration` (timer: time from asking to holding a connection)
/// - `jaan_pool_acquire_timeouts_total`, `jaan_pool_open_failures_total`, `jaan_pool_broken_connections_total`
///   (counters)
struct PoolMetrics: Sendable {
    let open: Gauge
    let idle: Gauge
    let leased: Gauge
    let waiters: Gauge
    let acquireDuration: Timer
    let timeouts: Counter
    let openFailures: Counter
    let broken: Counter

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

    /// Publishes the gauges from a snapshot.
    func record(_ statistics: ConnectionPoolStatistics) {
        self.open.record(statistics.open)
        self.idle.record(statistics.idle)
        self.leased.record(statistics.leased)
        self.waiters.record(statistics.waiters)
    }
}
