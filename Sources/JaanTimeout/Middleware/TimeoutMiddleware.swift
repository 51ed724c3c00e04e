import HTTPTypes
public import JaanHTTP
public import Metrics
import NIOCore

/// Gives each request a deadline; when it passes, the handler's task is cancelled and the client is answered.
///
/// Added to a router, it bounds every request (60 seconds by default). Added to a group, or to a group with an empty
/// prefix around one route, it replaces the deadline set further out: it can shorten it, lengthen it, or exempt the
/// routes from deadlines altogether (long polls, event streams):
/// ```swift
/// let router = Router()
/// router.add(middleware: TimeoutMiddleware(.seconds(60)))
/// router.group("/reports").add(middleware: TimeoutMiddleware(.seconds(300))).get("/yearly") { ... }
/// router.group().add(middleware: TimeoutMiddleware(.none)).get("/events") { ... }
/// ```
/// A later deadline counts from the moment its middleware runs.
///
/// When the deadline passes before the response head is sent, the task serving the request is cancelled through the
/// context's ``JaanHTTP/RequestCancellation`` (Swift's cooperative cancellation, so the pool wait or the query the
/// handler is awaiting is cancelled too), and once the handler has returned the client gets
/// `503 Service Unavailable` with `Retry-After` and the JSON error body; the server then closes the connection. A
/// handler that finishes at the very instant of the deadline yields one response, never two. When the deadline passes
/// while a streamed body is being sent, the task writing it is cancelled and the connection is closed, since the
/// status has gone out already. No task and no timer are started per request: a request that finishes in time is
/// linked into and out of its event loop's list of deadlines, which one loop timer watches.
///
/// Each timeout is counted in the swift-metrics counter `jaan_http_request_timeouts_total` (dimensions `route` and
/// `phase`: `response` or `body`) and logged at `info` on the request's logger, with the request id and the route.
///
/// The handler, and code it hands the context to, reads the time left from ``JaanHTTP/RequestContext/deadline``.
///
/// - Important: Cancellation is cooperative: the 503 waits until the handler's task returns. Code that ignores
///   cancellation (a blocking call, a future that cannot be cancelled) delays the answer until it is done; its
///   result is dropped.
/// - Note: The deadline is kept with the ``JaanHTTP/RequestCancellation`` that the server, and `InProcessTestClient`,
///   put in each context. In a context made without one, the handler is not cancelled, `context.deadline` is `nil`,
///   and a deadline set further in does not replace the router's.
public struct TimeoutMiddleware<Context: RequestContext>: Middleware {
    private let configuration: Configuration
    /// The configured timeout, and the same in nanoseconds (the unit of the timer's instants, converted once here
    /// rather than per request); `nil` for exempt routes.
    private let timeout: (duration: Duration, nanoseconds: Int64)?
    /// Each event loop's list of deadlines on the monotonic clock, left when a request finishes in time; or, for
    /// tests, a task sleeping on a clock of the caller's choice.
    private let timer: any DeadlineTimer
    private let reporter: TimeoutReporter

    /// Creates the middleware.
    ///
    /// - Parameters:
    ///   - configuration: The timeout and the `Retry-After` of the 503.
    ///   - metricsFactory: Makes the timeout counter; `nil` (the default) uses the bootstrapped `MetricsSystem`.
    public init(configuration: Configuration = .init(), metricsFactory: (any MetricsFactory)? = nil) {
        self.init(configuration: configuration, timer: EventLoopDeadlineTimer(), metricsFactory: metricsFactory)
    }

    /// Creates the middleware with a timeout and the default configuration otherwise.
    ///
    /// - Parameter timeout: How long a request may take, or `nil` (`.none`) to exempt the routes from deadlines.
    public init(_ timeout: Duration?) {
        var configuration = Configuration()
        configuration.timeout = timeout
        self.init(configuration: configuration)
    }

    /// Creates the middleware timed by `clock`, so that tests can move time by hand.
    ///
    /// With `ContinuousClock` this is the same as ``init(configuration:metricsFactory:)``. Any other clock is waited on
    /// with its `sleep(until:tolerance:)` in a task started for each request and cancelled when it ends.
    ///
    /// - Parameters:
    ///   - configuration: The timeout and the `Retry-After` of the 503.
    ///   - clock: The clock that measures deadlines.
    ///   - metricsFactory: Makes the timeout counter; `nil` (the default) uses the bootstrapped `MetricsSystem`.
    public init(configuration: Configuration = .init(), clock: some Clock<Duration>, metricsFactory: (any MetricsFactory)? = nil) {
        let timer: any DeadlineTimer = clock is ContinuousClock ? EventLoopDeadlineTimer() : ClockDeadlineTimer(clock: clock)
        self.init(configuration: configuration, timer: timer, metricsFactory: metricsFactory)
    }

    private init(configuration: Configuration, timer: any DeadlineTimer, metricsFactory: (any MetricsFactory)?) {
        self.configuration = configuration
        self.timeout = configuration.timeout.map { ($0, TimeAmount($0).nanoseconds) }
        self.timer = timer
        self.reporter = TimeoutReporter(factory: metricsFactory)
    }

    /// Runs the rest of the chain under this middleware's deadline, in place of any deadline set further out.
    nonisolated(nonsending) public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let cancellation = context.cancellation
        guard let (timeout, timeoutNanoseconds) = self.timeout else {
            let outer = try cancellation.takeOver(with: ExemptScope.shared)
            defer { if let outer { _ = cancellation.exchangeDeadline(outer) } }
            return try await next(request, context)
        }
        // Only the chain is awaited, here rather than in a helper: each async call around the chain costs every
        // request an executor switch on the way back.
        let timer = self.timer
        let deadline = timer.deadline(afterNanoseconds: timeoutNanoseconds)
        let race = HandlerRace(timeout: timeout, deadline: deadline, timer: timer, cancellation: cancellation)
        let outer = try cancellation.takeOver(with: race)
        defer { if let outer { _ = cancellation.exchangeDeadline(outer) } }
        let watch = race.start()
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            guard race.finish(stopping: watch) == .expired else { throw error }
            throw self.timedOut(context: context, timeout: timeout)
        }
        switch race.finish(stopping: watch) {
        case .inTime(let handedOver):
            if !handedOver && response.body.buffer == nil {
                let report = TimeoutReporter.Request(context: context, timeout: timeout)
                response.body = response.body.bounded(
                    by: deadline, timer: timer, cancellation: cancellation, request: report, reporter: self.reporter)
            }
            return response
        case .expired:
            throw self.timedOut(context: context, timeout: timeout)
        }
    }

    /// Reports a request whose deadline passed before its response, and returns the error that answers it.
    private func timedOut(context: Context, timeout: Duration) -> HTTPError {
        self.reporter.report(.init(context: context, timeout: timeout), phase: .response)
        return HTTPError(
            .serviceUnavailable,
            message: "Request timed out",
            headers: [.retryAfter: self.configuration.retryAfterValue]
        )
    }
}
