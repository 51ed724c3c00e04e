/// Opens and checks the connections of a ``ConnectionPool``.
///
/// ```swift
/// struct CacheSource: ConnectionSource {
///     func makeConnection() async throws -> CacheConnection {
///         try await CacheConnection.connect(to: "127.0.0.1", port: 6379)
///     }
///     func validate(_ connection: CacheConnection) async -> Bool {
///         (try? await connection.ping()) != nil
///     }
/// }
/// ```
public protocol ConnectionSource: Sendable {
    /// The type of connection this source opens.
    associatedtype Connection: PooledConnection

    /// Opens a new connection.
    ///
    /// The pool calls this in the background, from its ``ConnectionPool/run()`` task, when borrowers wait or the
    /// pool holds fewer than its minimum. A thrown error is counted, logged, reported to the waiters that have
    /// nothing else to wait for, and followed by an exponential back-off before the next attempt.
    /// The call may be cancelled when the pool shuts down.
    func makeConnection() async throws -> Connection

    /// Checks a connection that sat idle longer than
    /// ``ConnectionPoolConfiguration/validationThreshold`` before the pool lends it.
    ///
    /// Return `false` to have the pool close the connection and lend another one.
    /// The default implementation returns `connection.isUsable`.
    ///
    /// - Parameter connection: the idle connection about to be lent.
    func validate(_ connection: Connection) async -> Bool
}

extension ConnectionSource {
    /// Returns `connection.isUsable`: the check used when a source does not provide its own.
    ///
    /// - Parameter connection: the idle connection about to be lent.
    public func validate(_ connection: Connection) async -> Bool {
        connection.isUsable
    }
}
