import JaanHTTP
import Logging
import Metrics
import NIOCore

@testable import JaanTimeout

typealias Timeout = TimeoutMiddleware<BasicRequestContext>

extension TimeoutMiddleware {
    /// A middleware with `timeout`, timed by `clock`.
    static func manual(_ timeout: Duration?, clock: ManualClock, metrics: (any MetricsFactory)? = nil) -> Self {
        var configuration = Configuration()
        configuration.timeout = timeout
        return Self(configuration: configuration, clock: clock, metricsFactory: metrics)
    }
}

/// A logger that drops everything, for servers whose access log a test does not read.
let quietLogger = Logger(label: "jaan.timeout.test") { _ in SwiftLogNoOpLogHandler() }

/// Thrown by a handler that must not have finished.
struct UnexpectedCompletion: Error {}

extension DeadlineTimer {
    /// The instant `duration` from now.
    func deadline(after duration: Duration) -> Int64 {
        self.deadline(afterNanoseconds: TimeAmount(duration).nanoseconds)
    }
}
