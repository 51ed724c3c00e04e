public import JaanPool
public import Logging
public import ServiceLifecycle

/// A pool of PostgreSQL connections behind the operations applications use.
///
/// Run it as a service, then query from any task; each operation borrows a connection
/// for its duration:
///
/// ```swift
/// let client = PostgresClient(configuration: .init(connectionString: databaseURL), logger: logger)
/// try await withThrowingDiscardingTaskGroup { group in
///     group.addTask { try await client.run() }
///     let users = try await client.query("SELECT id, name FROM users WHERE team = \(team)").decode(User.self)
///     group.cancelAll()
/// }
/// ```
///
/// Connections broken by a server restart are detected (when used, or validated after sitting idle),
/// discarded and replaced, so the client serves again once the server is back.
public final class PostgresClient: Service, Sendable {
    /// The connections' and the pool's settings.
    public struct Configuration: Sendable {
        /// How each connection is opened and set up.
        public var connection: PostgresConnection.Configuration
        /// The pool's limits and timeouts. Defaults to JaanPool's defaults (50 max, 10 min,
        /// 30 s idle timeout, 2 s acquire timeout).
        public var pool: ConnectionPoolConfiguration

        /// Creates a configuration with the defaults.
        ///
        /// - Parameter connectionString: A libpq connection string or URI, such as `DATABASE_URL`.
        public init(connectionString: String) {
            self.connection = PostgresConnection.Configuration(connectionString: connectionString)
            self.pool = ConnectionPoolConfiguration()
        }
    }

    /// The pool of connections; use it directly for its statistics.
    public let pool: ConnectionPool<PostgresConnectionSource>

    /// Creates a client; nothing connects until ``run()`` runs.
    ///
    /// - Parameters:
    ///   - configuration: The connections' and the pool's settings.
    ///   - logger: Receives the pool's events and the connections' query logs.
    public init(configuration: Configuration, logger: Logger) {
        self.pool = ConnectionPool(
            source: PostgresConnectionSource(configuration: configuration.connection, logger: logger),
            configuration: configuration.pool,
            logger: logger
        )
    }

    /// The executor of the thread that waits for the connections' sockets.
    ///
    /// A task that mostly talks to the database can prefer it, with
    /// `withTaskExecutorPreference(client.taskExecutor) { ... }`: its statements are then sent, and
    /// their results read, on the thread that sees the sockets become ready, which saves a hop to
    /// another thread (and often the wake-up of a sleeping one) on every round trip. Work that
    /// takes long without awaiting must not run there, as it delays every connection's results.
    public var taskExecutor: any TaskExecutor { SocketReactor.shared }

    /// Runs the pool: opens, validates and closes connections until the task is cancelled or
    /// the service group shuts down.
    public func run() async throws {
        try await pool.run()
    }

    /// Lends a connection to `body`, for several statements on one connection.
    ///
    /// - Parameter body: The work to do; do not keep the connection beyond it.
    /// - Returns: What `body` returns.
    public func withConnection<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await pool.withConnection(isolation: isolation, body)
    }

    /// Runs a statement on a pooled connection; see ``PostgresConnection/query(_:)``.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await pool.withConnection { connection in try await connection.query(query) }
    }

    /// Runs several statements in one round trip on a pooled connection; see ``PostgresConnection/pipeline(_:)``.
    @discardableResult
    public func pipeline(_ queries: [PostgresQuery]) async throws -> [PostgresRows] {
        try await pool.withConnection { connection in try await connection.pipeline(queries) }
    }

    /// Runs `body` in a transaction on a pooled connection; see ``PostgresConnection/withTransaction(isolation:_:)``.
    @discardableResult
    public func withTransaction<Result>(
        isolation: PostgresIsolationLevel? = nil,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await pool.withConnection { connection in try await connection.withTransaction(isolation: isolation, body) }
    }

    /// Bulk-loads rows on a pooled connection; see ``PostgresConnection/copyFrom(table:schema:columns:_:)``.
    @discardableResult
    public func copyFrom(
        table: String,
        schema: String? = nil,
        columns: [String],
        _ writer: (PostgresCopyWriter) async throws -> Void
    ) async throws -> Int {
        try await pool.withConnection { connection in
            try await connection.copyFrom(table: table, schema: schema, columns: columns, writer)
        }
    }
}
