/// An error thrown by ``ConnectionPool/withConnection(isolation:_:)``.
///
/// Match on ``code``; new codes may be added without breaking you. The ``description`` names the failure and
/// the pool's figures, never the text of an underlying error (which may hold host names or credentials):
/// log ``underlying`` yourself where that is safe.
///
/// ```swift
/// do {
///     try await pool.withConnection { try await $0.run(query) }
/// } catch let error as PoolError where error.code == .exhausted {
///     // answer 503
/// }
/// ```
public struct PoolError: Error, CustomStringConvertible {
    /// What went wrong, as an open set of values.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        @usableFromInline
        enum Base: Hashable, Sendable {
            case exhausted
            case tooManyWaiters
            case shutdown
            case connectFailed
        }

        @usableFromInline
        let base: Base

        /// No connection came free within ``ConnectionPoolConfiguration/acquireTimeout``.
        public static let exhausted = Code(base: .exhausted)
        /// ``ConnectionPoolConfiguration/maximumWaiters`` borrowers were already waiting.
        public static let tooManyWaiters = Code(base: .tooManyWaiters)
        /// The pool is shutting down or has shut down, and lends nothing more.
        public static let shutdown = Code(base: .shutdown)
        /// The pool could not open a connection and had none to offer; see ``PoolError/underlying``.
        public static let connectFailed = Code(base: .connectFailed)

        /// The code's name, such as `exhausted`.
        public var description: String {
            switch self.base {
            case .exhausted: "exhausted"
            case .tooManyWaiters: "tooManyWaiters"
            case .shutdown: "shutdown"
            case .connectFailed: "connectFailed"
            }
        }
    }

    /// What went wrong.
    public let code: Code

    /// The pool's figures when the error happened: open, leased and waiting counts and the limits.
    public let statistics: ConnectionPoolStatistics

    /// The error thrown by ``ConnectionSource/makeConnection()``, for ``Code/connectFailed``; `nil` otherwise.
    public let underlying: (any Error)?

    @usableFromInline
    init(_ code: Code, statistics: ConnectionPoolStatistics, underlying: (any Error)? = nil) {
        self.code = code
        self.statistics = statistics
        self.underlying = underlying
    }

    /// A one-line explanation with the pool's figures, free of the underlying error's text.
    public var description: String {
        let figures =
            "open: \(self.statistics.open), leased: \(self.statistics.leased), "
            + "waiters: \(self.statistics.waiters), maximum: \(self.statistics.maximumConnections)"
        switch self.code.base {
        case .exhausted:
            return "PoolError.exhausted: no connection came free within the acquire timeout (\(figures))"
        case .tooManyWaiters:
            return "PoolError.tooManyWaiters: too many borrowers are already waiting (\(figures))"
        case .shutdown:
            return "PoolError.shutdown: the pool is shut down"
        case .connectFailed:
            return "PoolError.connectFailed: the pool could not open a connection (\(figures))"
        }
    }
}
