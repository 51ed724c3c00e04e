import CLibPQ

extension LibPQConnection {
    /// Runs statements in libpq's pipeline mode: every statement is sent, then one sync, then
    /// every result is read, so the batch costs one round trip (plus one per statement not yet
    /// prepared on this connection).
    ///
    /// The statements share the sync, so they run as one implicit transaction: when one fails,
    /// the server skips the rest and rolls back the ones before it.
    ///
    /// - Returns: Each statement's result, in order.
    /// - Throws: The first server error, once everything up to the sync is drained.
    func runPipeline(_ queries: [PostgresQuery]) async throws -> [ResultHandle?] {
        for query in queries {
            if let reason = query.binds.invalidReason { throw PostgresError.invalidBind(reason) }
        }
        let keys = queries.map { StatementCache.Key(sql: $0.sql, types: $0.binds.types) }
        // Statements are prepared before the pipeline starts; when they do not all fit in the
        // cache at once, preparing one could evict another, so they go unnamed instead.
        var prepared: [StatementCache.Statement?] = Array(repeating: nil, count: queries.count)
        if statements.capacity >= Set(keys).count {
            for index in queries.indices {
                prepared[index] = try await self.prepared(queries[index], key: keys[index])
            }
        }
        guard PQenterPipelineMode(pointer) == 1 else { throw PostgresError.connectionClosed(errorMessage) }
        do {
            let results = try await sendAndCollect(queries, prepared: prepared)
            guard PQexitPipelineMode(pointer) == 1 else { throw PostgresError.connectionClosed(errorMessage) }
            return results
        } catch let error as PostgresError where error.code == .server {
            // The server reported an error and the pipeline was drained to its sync: the connection is ready.
            _ = PQexitPipelineMode(pointer)
            throw error
        } catch {
            // Results may still be on their way: the connection's state is unknown.
            abandoned = true
            throw error
        }
    }

    private func sendAndCollect(_ queries: [PostgresQuery], prepared: [StatementCache.Statement?]) async throws -> [ResultHandle?] {
        for (query, statement) in zip(queries, prepared) {
            try query.binds.withUnsafeParameters { values, types in
                let sent =
                    if let statement {
                        PQsendQueryPrepared(pointer, statement.name, Int32(query.binds.count), values, nil, nil, 0)
                    } else {
                        PQsendQueryParams(pointer, query.sql, Int32(query.binds.count), types, values, nil, nil, 0)
                    }
                guard sent == 1 else { throw PostgresError.connectionClosed(errorMessage) }
            }
        }
        guard PQpipelineSync(pointer) == 1 else { throw PostgresError.connectionClosed(errorMessage) }
        try await flush()
        var results: [ResultHandle?] = []
        results.reserveCapacity(queries.count)
        var failure: PostgresError?
        for statement in prepared {
            switch try await readStatementResults(columns: statement?.columns) {
            case .copy:
                throw PostgresError.unexpectedResult("COPY cannot run in a pipeline")
            case .finished(let last, let statementFailure):
                failure = failure ?? statementFailure
                if let statement, let last { statement.columns = last.columns }
                results.append(last)
            }
        }
        try await waitForResult()
        guard let sync = PQgetResult(pointer) else { throw PostgresError.unexpectedResult("the pipeline ended without its sync") }
        let status = PQresultStatus(sync)
        PQclear(sync)
        guard status == PGRES_PIPELINE_SYNC else { throw PostgresError.unexpectedResult("the pipeline ended without its sync") }
        if let failure { throw failure }
        return results
    }
}
