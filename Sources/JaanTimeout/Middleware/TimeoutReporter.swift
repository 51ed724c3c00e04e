import JaanHTTP
import Logging
import Metrics
import Synchronization

/// Counts each timeout in `jaan_http_request_timeouts_total` and logs it with the request id and route.
///
/// The counter has a `route` dimension (the matched route pattern, or `unmatched`) and a `phase` dimension:
/// `response` when the client got a 503, `body` when a streamed body was cut off and its connection closed.
/// Counters are made once per route and phase and reused.
final class TimeoutReporter: Sendable {
    /// Where in the exchange the deadline passed.
    enum Phase: String, Sendable {
        /// Before the response head was sent: the client gets a 503.
        case response
        /// While a streamed body was being sent: the connection is closed.
        case body
    }

    /// What the log line says about the request.
    ///
    /// Made only when a deadline may be reported, since the request's logger is assembled on first use.
    struct Request: Sendable {
        let logger: Logger
        let route: String?
        let timeout: Duration

        init(context: some RequestContext, timeout: Duration) {
            self.logger = context.logger
            self.route = context.route
            self.timeout = timeout
        }
    }

    private struct Key: Hashable {
        let route: String
        let phase: Phase
    }

    static let counterLabel = "jaan_http_request_timeouts_total"

    private let factory: (any MetricsFactory)?
    private let counters = Mutex<[Key: Counter]>([:])

    /// Creates a reporter that makes its counters with `factory`, or with the bootstrapped `MetricsSystem` when `nil`.
    init(factory: (any MetricsFactory)?) {
        self.factory = factory
    }

    func report(_ request: Request, phase: Phase) {
        let key = Key(route: request.route ?? "unmatched", phase: phase)
        let counter = self.counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let dimensions = [("route", key.route), ("phase", key.phase.rawValue)]
            let counter =
                if let factory = self.factory {
                    Counter(label: Self.counterLabel, dimensions: dimensions, factory: factory)
                } else {
                    Counter(label: Self.counterLabel, dimensions: dimensions)
                }
            counters[key] = counter
            return counter
        }
        counter.increment()
        request.logger.info(
            "Request timed out",
            metadata: [
                "route": "\(key.route)",
                "phase": "\(phase.rawValue)",
                "timeout_ms": "\(request.timeout / .milliseconds(1))",
            ]
        )
    }
}
