import CLibPQ
import Logging
import Metrics
import Synchronization

/// One connection to PostgreSQL, over the system's libpq, used asynchronously.
///
/// Open it with ``connect(configuration:logger:)``, run statements with ``query(_:)``,
/// group them with ``withTransaction(isolation:_:)`` and load data with ``copyFrom(table:columns:_:)``.
/// A connection runs one operation at a time; a pool (``PostgresClient``) shares connections
/// between tasks.
///
/// Every libpq call is non-blocking: when libpq must wait for the network, the task suspends
/// until a reactor thread sees the socket ready, so no event loop or cooperative thread blocks.
///
/// When the calling task is cancelled while a statement runs, the connection asks the server
/// to cancel it (`PQcancel`), drains the answer and stays usable; if the server does not
/// answer in time the connection closes itself and ``isUsable`` turns `false`.
public final class PostgresConnection: Sendable {
    struct State {
        var busy = false
        var closed = false
        var finished = false
        var broken = false
        var inTransaction = false
        var operation: UInt64 = 0
        var cancel = CancelPhase.none
    }

    enum CancelPhase {
        case none
        case sending(waiter: CheckedContinuation<Void, Never>?)
        case sent
    }

    let connection: LibPQConnection
    let state = Mutex(State())
    let configuration: Configuration
    let logger: Logger
    let durations: Metrics.Timer

    init(connection: LibPQConnection, configuration: Configuration, logger: Logger) {
        self.connection = connection
        self.configuration = configuration
        self.logger = logger
        self.durations = Metrics.Timer(label: "jaan_postgres_query_duration_seconds")
    }

    deinit {
        let needsFinish = state.withLock { state in
            defer { state.finished = true }
            return !state.finished
        }
        if needsFinish { connection.finish() }
    }

    /// Whether the connection can be reused: it is neither closed nor broken, and no
    /// transaction was left open on it.
    public var isUsable: Bool {
        state.withLock { !$0.closed && !$0.broken && !$0.finished && !$0.inTransaction }
    }

    /// Closes the connection. An operation still running finishes first, then the connection closes.
    public func close() async {
        let finishNow = state.withLock { state in
            state.closed = true
            guard !state.busy, !state.finished else { return false }
            state.finished = true
            return true
        }
        if finishNow { connection.finish() }
    }

    /// Runs a statement and returns its rows.
    ///
    /// Interpolated values are sent as binds, never as SQL text:
    ///
    /// ```swift
    /// let rows = try await connection.query("SELECT name FROM users WHERE id = \(id)")
    /// ```
    ///
    /// The statement is prepared on first use and kept in the connection's statement cache.
    /// Cancelling the calling task cancels the statement on the server and throws `CancellationError`.
    ///
    /// - Parameter query: The statement and its binds.
    /// - Returns: The rows, empty for statements that return none (see ``PostgresRows/affectedRows``).
    /// - Throws: ``PostgresError`` from the server or the connection; `CancellationError`.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await timed(query.sql) {
            try await operation(cancellable: true) { connection in try await connection.run(query) }
        }
    }

    /// Runs a statement and returns its rows, without cancelling it when the task is cancelled.
    func uncancellableSimpleQuery(_ sql: String) async throws -> PostgresRows {
        try await timed(sql) {
            try await operation(cancellable: false) { connection in try await connection.simpleQuery(sql) }
        }
    }

    /// Measures, logs and records the duration of one statement.
    func timed(_ sql: String, _ body: () async throws -> ResultHandle?) async throws -> PostgresRows {
        let result = try await measured(sql, body)
        return PostgresRows(result: result ?? Self.emptyResult)
    }

    /// Measures, logs and records the duration of `body`, which runs `sql`.
    func measured<Result>(_ sql: @autoclosure () -> String, _ body: () async throws -> Result) async throws -> Result {
        let start = ContinuousClock.now
        var failed = true
        defer {
            let elapsed = ContinuousClock.now - start
            durations.recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
            if elapsed >= configuration.slowQueryThreshold {
                logger.warning(
                    "slow query",
                    metadata: ["sql": "\(sql())", "duration_ms": "\(elapsed.milliseconds)", "failed": "\(failed)"]
                )
            } else {
                logger.debug("query", metadata: ["sql": "\(sql())", "duration_ms": "\(elapsed.timeInterval * 1000)", "failed": "\(failed)"])
            }
        }
        let result = try await body()
        failed = false
        return result
    }

    /// A result without columns or rows, for statements that return nothing at all.
    static let emptyResult = ResultHandle(PQmakeEmptyPGresult(nil, PGRES_COMMAND_OK))
}
