import HTTPTypes
import Metrics
import Synchronization

/// The server's swift-metrics figures: `jaan_http_requests_total` and `jaan_http_request_duration_seconds`,
/// by method and status class (`2xx`, `4xx`, ...). Metric handles are made once per label set and reused.
final class ServerMetrics: Sendable {
    private struct Key: Hashable {
        let method: String
        let statusClass: Int
    }

    private struct Handles: Sendable {
        let requests: Counter
        let duration: Metrics.Timer
    }

    private let handles = Mutex<[Key: Handles]>([:])
    private let factory: (any MetricsFactory)?

    /// - Parameter factory: Where the figures go; `nil` for the process-wide `MetricsSystem`.
    init(factory: (any MetricsFactory)?) {
        self.factory = factory
    }

    func record(method: HTTPRequest.Method, status: HTTPResponse.Status, duration: Duration) {
        let key = Key(method: method.rawValue, statusClass: status.code / 100)
        let handles = self.handles.withLock { handles in
            if let existing = handles[key] { return existing }
            let dimensions = [("method", key.method), ("status", "\(key.statusClass)xx")]
            let factory = self.factory ?? MetricsSystem.factory
            let made = Handles(
                requests: Counter(label: "jaan_http_requests_total", dimensions: dimensions, factory: factory),
                duration: Metrics.Timer(label: "jaan_http_request_duration_seconds", dimensions: dimensions, factory: factory)
            )
            handles[key] = made
            return made
        }
        handles.requests.increment()
        handles.duration.recordNanoseconds(duration.nanoseconds)
    }
}

extension Duration {
    /// The duration in whole nanoseconds.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = self.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
