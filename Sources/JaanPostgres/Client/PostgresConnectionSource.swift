public import JaanPool
public import Logging

extension PostgresConnection: PooledConnection {}

/// Opens PostgreSQL connections for a `ConnectionPool`.
///
/// ```swift
/// let pool = ConnectionPool(source: PostgresConnectionSource(configuration: configuration, logger: logger), logger: logger)
/// ```
///
/// ``PostgresClient`` wraps such a pool behind one facade.
public struct PostgresConnectionSource: ConnectionSource {
    /// How each connection is opened and set up.
    public var configuration: PostgresConnection.Configuration
    /// The logger each connection logs its queries to.
    public var logger: Logger

    /// Creates a source.
    ///
    /// - Parameters:
    ///   - configuration: How each connection is opened and set up.
    ///   - logger: The logger each connection logs its queries to.
    public init(configuration: PostgresConnection.Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Opens a connection.
    public func makeConnection() async throws -> PostgresConnection {
        try await PostgresConnection.connect(configuration: configuration, logger: logger)
    }

    /// Checks a connection that sat idle with a round trip, so connections broken while idle
    /// (for example by a server restart) are replaced before anyone borrows them.
    public func validate(_ connection: PostgresConnection) async -> Bool {
        guard connection.isUsable else { return false }
        do {
            _ = try await connection.uncancellableSimpleQuery("")
            return connection.isUsable
        } catch {
            return false
        }
    }
}
