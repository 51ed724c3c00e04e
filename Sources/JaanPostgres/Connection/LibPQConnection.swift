import CLibPQ

/// A libpq connection driven through its non-blocking API; waits go to the ``SocketReactor``.
///
/// `@unchecked Sendable`: libpq connections are not thread-safe, and this class is used only by
/// the one operation that ``PostgresConnection`` lets run at a time, which serialises access;
/// ``cancelHandle`` is libpq's thread-safe cancel object.
final class LibPQConnection: @unchecked Sendable {
    let pointer: OpaquePointer
    let cancelHandle: OpaquePointer?
    var statements: StatementCache
    /// Set when an operation left the protocol in a state it cannot recover from; the
    /// connection is then closed instead of reused.
    var abandoned = false

    init(pointer: OpaquePointer, statementCacheSize: Int) {
        self.pointer = pointer
        self.cancelHandle = PQgetCancel(pointer)
        self.statements = StatementCache(capacity: statementCacheSize)
    }

    var socket: Int32 { PQsocket(pointer) }

    var isBad: Bool { PQstatus(pointer) == CONNECTION_BAD }

    var errorMessage: String { String(cString: PQerrorMessage(pointer)) }

    /// Closes the connection (libpq sends Terminate without blocking in non-blocking mode) and frees it.
    func finish() {
        let socket = self.socket
        if socket >= 0 { SocketReactor.shared.forget(socket: socket) }
        if let cancelHandle { PQfreeCancel(cancelHandle) }
        PQfinish(pointer)
    }

    /// Sends everything libpq has buffered, waiting for the socket when it is full.
    func flush() async throws {
        while true {
            let status = PQflush(pointer)
            if status == 0 { return }
            if status < 0 { throw PostgresError.connectionClosed(errorMessage) }
            // The server may be sending too (a notice, an error); reading keeps both sides moving.
            try await SocketReactor.shared.wait(socket: socket, for: .either)
            guard PQconsumeInput(pointer) == 1 else { throw PostgresError.connectionClosed(errorMessage) }
        }
    }

    /// Waits until libpq has a whole result to return, reading the socket as it becomes readable.
    func waitForResult() async throws {
        while PQisBusy(pointer) != 0 {
            try await SocketReactor.shared.wait(socket: socket, for: .readable)
            guard PQconsumeInput(pointer) == 1 else { throw PostgresError.connectionClosed(errorMessage) }
        }
    }

    /// What one statement's results came to.
    enum StatementOutcome {
        /// libpq has no result left for the statement: its last successful result, and its first server error.
        case finished(last: ResultHandle?, failure: PostgresError?)
        /// The statement started a COPY, in the direction the result's status names; later results wait behind it.
        case copy(ResultHandle)
    }

    /// Reads the results of one statement until libpq has none left for it, or until it starts a COPY.
    ///
    /// A server error is kept, not thrown, so that the caller drains everything the server sends first. Results of a
    /// statement the server skipped because an earlier one in a pipeline failed are dropped.
    ///
    /// - Parameter columns: The columns that the statement's results are expected to have, shared when they match.
    func readStatementResults(columns: ResultColumns? = nil) async throws -> StatementOutcome {
        var last: ResultHandle?
        var failure: PostgresError?
        while true {
            try await waitForResult()
            guard let result = PQgetResult(pointer) else { return .finished(last: last, failure: failure) }
            switch PQresultStatus(result) {
            case PGRES_FATAL_ERROR:
                if failure == nil { failure = Self.serverError(result) }
                PQclear(result)
            case PGRES_PIPELINE_ABORTED:
                PQclear(result)
            case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
                return .copy(ResultHandle(result))
            default:
                last = ResultHandle(result, columns: columns)
            }
        }
    }

    /// Reads the results of the statement sent last, until libpq has none left.
    ///
    /// - Returns: The last successful result, or a `COPY FROM STDIN` result that now waits for data.
    /// - Throws: The first server error, after the rest is drained, so the connection is ready again.
    func collectResults(columns: ResultColumns? = nil) async throws -> ResultHandle? {
        switch try await readStatementResults(columns: columns) {
        case .copy(let result):
            guard PQresultStatus(result.pointer) == PGRES_COPY_IN else {
                throw PostgresError.unexpectedResult("COPY TO STDOUT is not supported")
            }
            return result
        case .finished(_, let failure?):
            if isBad { throw PostgresError(code: .connectionClosed, sqlState: failure.sqlState, message: failure.message) }
            throw failure
        case .finished(let last, nil):
            return last
        }
    }

    /// Reads the results of a statement that must not start a COPY.
    func collectStatementResults(columns: ResultColumns? = nil) async throws -> ResultHandle? {
        let result = try await collectResults(columns: columns)
        if let result, PQresultStatus(result.pointer) == PGRES_COPY_IN {
            // A COPY FROM STDIN sent as a plain statement: refuse the data and drain the error.
            _ = PQputCopyEnd(pointer, "COPY FROM STDIN must use copyFrom")
            try await flush()
            _ = try? await collectResults()
            throw PostgresError.unexpectedResult("COPY FROM STDIN must use copyFrom")
        }
        return result
    }

    /// Runs SQL without binds through the simple query protocol (several statements allowed).
    func simpleQuery(_ sql: String) async throws -> ResultHandle? {
        guard PQsendQuery(pointer, sql) == 1 else { throw PostgresError.connectionClosed(errorMessage) }
        try await flush()
        return try await collectStatementResults()
    }

    /// Runs a statement with binds, preparing and caching it first when the cache is on.
    func run(_ query: PostgresQuery) async throws -> ResultHandle? {
        if let reason = query.binds.invalidReason { throw PostgresError.invalidBind(reason) }
        guard statements.capacity > 0 else {
            try query.binds.withUnsafeParameters { values, types in
                guard PQsendQueryParams(pointer, query.sql, Int32(query.binds.count), types, values, nil, nil, 0) == 1 else {
                    throw PostgresError.connectionClosed(errorMessage)
                }
            }
            try await flush()
            return try await collectStatementResults()
        }
        let key = StatementCache.Key(sql: query.sql, types: query.binds.types)
        do {
            return try await runPrepared(query, key: key)
        } catch let error as PostgresError where error.sqlState == SQLStateInvalidStatementName {
            // Someone deallocated the statement (DISCARD ALL, DEALLOCATE ALL): prepare it again.
            statements.removeAll()
            return try await runPrepared(query, key: key)
        }
    }

    private func runPrepared(_ query: PostgresQuery, key: StatementCache.Key) async throws -> ResultHandle? {
        let statement = try await prepared(query, key: key)
        try query.binds.withUnsafeParameters { values, _ in
            guard PQsendQueryPrepared(pointer, statement.name, Int32(query.binds.count), values, nil, nil, 0) == 1 else {
                throw PostgresError.connectionClosed(errorMessage)
            }
        }
        try await flush()
        let result = try await collectStatementResults(columns: statement.columns)
        if let result { statement.columns = result.columns }
        return result
    }

    /// The statement prepared for `key`, preparing it (one round trip) when the cache lacks it.
    func prepared(_ query: PostgresQuery, key: StatementCache.Key) async throws -> StatementCache.Statement {
        if let cached = statements.statement(for: key) { return cached }
        let added = statements.add(key)
        if let evicted = added.evicted {
            _ = try await simpleQuery("DEALLOCATE \(evicted)")
        }
        do {
            let sent = query.binds.types.withUnsafeBufferPointer { types in
                PQsendPrepare(pointer, added.statement.name, query.sql, Int32(query.binds.count), types.baseAddress)
            }
            guard sent == 1 else { throw PostgresError.connectionClosed(errorMessage) }
            try await flush()
            _ = try await collectStatementResults()
        } catch {
            statements.remove(key)
            throw error
        }
        return added.statement
    }

    static func serverError(_ result: OpaquePointer) -> PostgresError {
        func field(_ code: Int32) -> String? {
            guard let value = PQresultErrorField(result, code) else { return nil }
            return String(cString: value)
        }
        let fieldCode = { (character: Character) in Int32(character.asciiValue!) }
        return PostgresError(
            code: .server,
            sqlState: field(fieldCode("C")).map(PostgresError.SQLState.init),
            message: field(fieldCode("M")) ?? String(cString: PQresultErrorMessage(result)),
            detail: field(fieldCode("D")),
            hint: field(fieldCode("H")),
            constraint: field(fieldCode("n")),
            table: field(fieldCode("t")),
            column: field(fieldCode("c"))
        )
    }
}

/// `26000`: the prepared statement does not exist.
let SQLStateInvalidStatementName = PostgresError.SQLState("26000")
