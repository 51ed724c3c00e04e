extension PostgresConnection {
    /// Runs several statements in one round trip, with libpq's pipeline mode, and returns each
    /// one's rows, in order.
    ///
    /// ```swift
    /// let results = try await connection.pipeline([
    ///     "SELECT name FROM users WHERE id = \(id)",
    ///     "SELECT total FROM orders WHERE user_id = \(id)",
    /// ])
    /// let name = try results[0][0].decode(String.self, column: "name")
    /// ```
    ///
    /// The statements are sent together, followed by one synchronization point, so they run as
    /// one implicit transaction (inside ``withTransaction(isolation:_:)``, as part of that one):
    /// when one fails, the server skips the rest and, outside a transaction, rolls back those
    /// before it. Statements are prepared and cached as with ``query(_:)``. `COPY` cannot run in
    /// a pipeline. Cancelling the calling task cancels the running statement on the server.
    ///
    /// - Parameter queries: The statements and their binds.
    /// - Returns: The rows of each statement, in the order of `queries`.
    /// - Throws: ``PostgresError`` for the first statement that failed, or from the connection;
    ///   `CancellationError`.
    @discardableResult
    public func pipeline(_ queries: [PostgresQuery]) async throws -> [PostgresRows] {
        guard !queries.isEmpty else { return [] }
        let results = try await measured(queries.map(\.sql).joined(separator: "; ")) {
            try await operation(cancellable: true) { connection in
                do {
                    return try await connection.runPipeline(queries)
                } catch let error as PostgresError where error.sqlState == SQLStateInvalidStatementName {
                    // Someone deallocated a statement (DISCARD ALL, DEALLOCATE ALL): prepare them again.
                    connection.statements.removeAll()
                    return try await connection.runPipeline(queries)
                }
            }
        }
        return results.map { PostgresRows(result: $0 ?? Self.emptyResult) }
    }
}
