public import JaanHTTP

/// The deadline of a request, set by ``TimeoutMiddleware``, read from the request's context with
/// ``JaanHTTP/RequestContext/deadline``.
///
/// Code the handler calls gets it with the context, or gets the time left from the handler; a database layer can set
/// its statement timeout to it:
/// ```swift
/// let statementTimeout = context.deadline?.remaining ?? .seconds(60)
/// ```
public struct RequestDeadline: Sendable {
    let scope: any DeadlineScope

    /// The time left before the deadline: zero once it has passed, `nil` when the route is exempt from deadlines.
    public var remaining: Duration? {
        self.scope.remaining.map { max($0, .zero) }
    }

    /// The timeout that set the deadline, or `nil` when the route is exempt from deadlines.
    public var timeout: Duration? { self.scope.timeout }
}

extension RequestContext {
    /// The deadline of the request, set by the innermost ``TimeoutMiddleware`` around the handler.
    ///
    /// It is `nil` when no such middleware runs, once the request is over, and in a context made without the
    /// server's ``JaanHTTP/RequestCancellation`` (`InProcessTestClient` gives one). Child tasks that share the context
    /// (task groups, `async let`) read the same deadline.
    public var deadline: RequestDeadline? {
        (self.cancellation.deadline as? any DeadlineScope).map(RequestDeadline.init(scope:))
    }
}

extension RequestCancellation {
    /// Makes `scope` the request's deadline in place of the one set further out, which stops.
    ///
    /// - Returns: The deadline set further out, for the caller to restore when its chain returns; `nil` when there is
    ///   none, so that the outermost middleware, which runs on every request, takes the slot's lock only once.
    /// - Throws: `CancellationError` when the deadline set further out has passed: the request is being cancelled,
    ///   and the middleware that set that deadline answers.
    func takeOver(with scope: any DeadlineScope) throws -> (any AnyObject & Sendable)? {
        guard let outer = self.exchangeDeadline(scope) else { return nil }
        if let race = outer as? HandlerRace, !race.handOver() {
            _ = self.exchangeDeadline(outer)
            throw CancellationError()
        }
        return outer
    }
}

/// What a ``RequestDeadline`` reads: a request's ``HandlerRace``, or the scope of an exempt route.
///
/// An object, so that it is kept beside the request's cancellation without a box of its own.
protocol DeadlineScope: AnyObject, Sendable {
    /// The timeout that set the deadline, or `nil` when exempt.
    var timeout: Duration? { get }

    /// The time left, or `nil` when exempt.
    var remaining: Duration? { get }
}

/// The scope of a route exempt from deadlines.
final class ExemptScope: DeadlineScope {
    /// The one exempt scope; it holds nothing.
    static let shared = ExemptScope()

    var timeout: Duration? { nil }
    var remaining: Duration? { nil }
}
