import Foundation
import HTTPTypes
import JaanCluster
import JaanHTTP
import JaanPool
import JaanPostgres
import Logging
import NIOCore
import Prometheus

/// The figures `/metrics` shows: what swift-metrics recorded (HTTP requests, query durations) in a
/// Prometheus registry, plus the pool's and the cluster's current figures, read when scraped.
final class AppMetrics: Sendable {
    /// The registry swift-metrics records into.
    let registry = PrometheusCollectorRegistry()
    /// A swift-metrics factory over ``registry``.
    var factory: PrometheusMetricsFactory { PrometheusMetricsFactory(registry: registry) }
    /// The cluster's status file, if this process serves under a supervisor.
    let statusFile: String?
    /// This worker's id.
    let workerID: Int

    private let poolGauges: [(figure: @Sendable (ConnectionPoolStatistics) -> Int, gauge: Gauge)]

    init(statusFile: String?, workerID: Int) {
        self.statusFile = statusFile
        self.workerID = workerID
        let figures: [(String, @Sendable (ConnectionPoolStatistics) -> Int)] = [
            ("open", { $0.open }), ("idle", { $0.idle }), ("leased", { $0.leased }), ("waiters", { $0.waiters }),
            ("maximum", { $0.maximumConnections }), ("timeouts_total", { $0.timeouts }), ("open_failures_total", { $0.openFailures }),
        ]
        let worker = String(workerID)
        let registry = self.registry
        poolGauges = figures.map { name, figure in
            let descriptor = MetricNameDescriptor(
                namespace: "jaan", subsystem: "db_pool", metricName: name, unitName: "", helpText: "Database pool figure at scrape time: \(name)")
            return (figure, registry.makeGauge(descriptor: descriptor, labels: [("worker", worker)]))
        }
    }

    /// The Prometheus text exposition of every figure.
    func render(pool: ConnectionPoolStatistics) -> [UInt8] {
        for (figure, gauge) in poolGauges { gauge.set(Double(figure(pool))) }
        var output: [UInt8] = []
        registry.emit(into: &output)
        if let statusFile, let status = try? ClusterStatus.read(from: statusFile) {
            output.append(contentsOf: Self.cluster(status).utf8)
        }
        return output
    }

    /// The cluster's per-worker figures from the supervisor's status file.
    static func cluster(_ status: ClusterStatus) -> String {
        var lines = [
            "# TYPE jaan_cluster_workers gauge", "jaan_cluster_workers \(status.workers.count)",
            "# TYPE jaan_cluster_worker_restarts_total counter",
        ]
        for worker in status.workers { lines.append("jaan_cluster_worker_restarts_total{worker=\"\(worker.id)\"} \(worker.restarts)") }
        lines.append("# TYPE jaan_cluster_worker_resident_bytes gauge")
        for worker in status.workers {
            if let bytes = worker.residentBytes { lines.append("jaan_cluster_worker_resident_bytes{worker=\"\(worker.id)\"} \(bytes)") }
        }
        lines.append("# TYPE jaan_cluster_worker_online gauge")
        for worker in status.workers { lines.append("jaan_cluster_worker_online{worker=\"\(worker.id)\"} \(worker.state == .online ? 1 : 0)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
