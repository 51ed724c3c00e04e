import CLibPQ

extension PostgresConnection {
    /// Bulk-loads rows into a table with `COPY ... FROM STDIN`, streaming them as they are written.
    ///
    /// ```swift
    /// let count = try await connection.copyFrom(table: "events", columns: ["id", "name"]) { writer in
    ///     for event in events { try await writer.write(event.id, event.name) }
    /// }
    /// ```
    ///
    /// The table and column names are quoted as identifiers; values are escaped COPY fields.
    /// If `writer` throws or the task is cancelled, the COPY is aborted and nothing is loaded.
    ///
    /// - Parameters:
    ///   - table: The table's name.
    ///   - schema: The table's schema; `nil` follows the `search_path`. Defaults to `nil`.
    ///   - columns: The columns each row gives values for, in order.
    ///   - writer: Writes the rows.
    /// - Returns: The number of rows loaded.
    /// - Throws: What `writer` throws; ``PostgresError`` from the server or the connection; `CancellationError`.
    @discardableResult
    public func copyFrom(
        table: String,
        schema: String? = nil,
        columns: [String],
        _ writer: (PostgresCopyWriter) async throws -> Void
    ) async throws -> Int {
        let target = (schema.map { quoteIdentifier($0) + "." } ?? "") + quoteIdentifier(table)
        let sql = "COPY \(target) (\(columns.map(quoteIdentifier).joined(separator: ", "))) FROM STDIN"
        if (schema ?? "").utf8.contains(0) || table.utf8.contains(0) || columns.contains(where: { $0.utf8.contains(0) }) {
            throw PostgresError.invalidBind("an identifier contains a NUL character")
        }
        let rows = try await timed(sql) {
            try await operation(cancellable: true) { connection in
                try await Self.copy(sql: sql, connection: connection, writer)
            }
        }
        return rows.affectedRows
    }

    private static func copy(
        sql: String,
        connection: LibPQConnection,
        _ writer: (PostgresCopyWriter) async throws -> Void
    ) async throws -> ResultHandle? {
        guard PQsendQuery(connection.pointer, sql) == 1 else { throw PostgresError.connectionClosed(connection.errorMessage) }
        try await connection.flush()
        guard let started = try await connection.collectResults(), PQresultStatus(started.pointer) == PGRES_COPY_IN else {
            throw PostgresError.unexpectedResult("the statement did not start a COPY")
        }
        let copyWriter = PostgresCopyWriter(connection: connection)
        do {
            try await writer(copyWriter)
            try await copyWriter.send()
        } catch {
            // Abort the COPY: the server rolls it back and answers with an error, which is drained.
            if PQputCopyEnd(connection.pointer, "aborted by the client") == 1 {
                try? await connection.flush()
                _ = try? await connection.collectResults()
            }
            throw error
        }
        guard PQputCopyEnd(connection.pointer, nil) == 1 else { throw PostgresError.connectionClosed(connection.errorMessage) }
        try await connection.flush()
        return try await connection.collectResults()
    }
}
