/// The deadline of the request that the current task serves, set by ``TimeoutMiddleware``.
///
/// It is a task-local value, so code the handler calls can read it without being handed it, such as a database
/// layer that sets its statement timeout to the time that is left:
/// ```swift
/// let statementTimeout = RequestDeadline.current?.remaining ?? .seconds(60)
/// ```
/// Tasks the handler starts in task groups or with `async let` see it too.
public struct RequestDeadline: Sendable {
    @TaskLocal static var taskLocal: RequestDeadline?

    let scope: any DeadlineScope

    /// The deadline of the request the current task serves, or `nil` when no ``TimeoutMiddleware`` runs around it.
    public static var current: RequestDeadline? { Self.taskLocal }

    /// The time left before the deadline: zero once it has passed, `nil` when the route is exempt from deadlines.
    public var remaining: Duration? {
        self.scope.remaining.map { max($0, .zero) }
    }

    /// The timeout that set the deadline, or `nil` when the route is exempt from deadlines.
    public var timeout: Duration? { self.scope.timeout }

    /// Runs `operation` with `scope` as the current deadline.
    nonisolated(nonsending) static func with<Value>(
        _ scope: any DeadlineScope,
        _ operation: nonisolated(nonsending) () async throws -> Value
    ) async rethrows -> Value {
        try await Self.$taskLocal.withValue(RequestDeadline(scope: scope), operation: operation)
    }
}

/// What a ``RequestDeadline`` reads, and what an inner ``TimeoutMiddleware`` takes over.
protocol DeadlineScope: Sendable {
    /// The timeout that set the deadline, or `nil` when exempt.
    var timeout: Duration? { get }

    /// The time left, or `nil` when exempt.
    var remaining: Duration? { get }

    /// Stops this deadline, because a middleware further in sets the request's deadline instead.
    ///
    /// - Returns: `false` when the deadline has passed already: the request is being answered with 503.
    func handOver() -> Bool
}

/// The scope of a route exempt from deadlines.
struct ExemptScope: DeadlineScope {
    var timeout: Duration? { nil }
    var remaining: Duration? { nil }
    func handOver() -> Bool { true }
}
