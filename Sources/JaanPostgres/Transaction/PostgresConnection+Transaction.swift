import CLibPQ
import Synchronization

/// The isolation level of a transaction.
public struct PostgresIsolationLevel: Sendable, Hashable {
    let sql: String

    /// `READ COMMITTED`, PostgreSQL's default.
    public static let readCommitted = PostgresIsolationLevel(sql: "READ COMMITTED")
    /// `REPEATABLE READ`
    public static let repeatableRead = PostgresIsolationLevel(sql: "REPEATABLE READ")
    /// `SERIALIZABLE`; be ready to retry on ``PostgresError/SQLState/serializationFailure``.
    public static let serializable = PostgresIsolationLevel(sql: "SERIALIZABLE")
}

extension PostgresConnection {
    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws or
    /// when the task is cancelled.
    ///
    /// ```swift
    /// try await connection.withTransaction(isolation: .serializable) { connection in
    ///     try await connection.query("UPDATE accounts SET balance = balance - \(amount) WHERE id = \(from)")
    ///     try await connection.query("UPDATE accounts SET balance = balance + \(amount) WHERE id = \(to)")
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - isolation: The isolation level. `nil` uses the session's default. Defaults to `nil`.
    ///   - body: The work of the transaction, given this connection.
    /// - Returns: What `body` returns, once the transaction has committed.
    /// - Throws: What `body` throws (after the rollback); `CancellationError` when the task was
    ///   cancelled; ``PostgresError`` when `BEGIN` or `COMMIT` fails, or with code
    ///   ``PostgresError/Code/transactionRolledBack`` when `COMMIT` found the transaction failed.
    @discardableResult
    public func withTransaction<Result>(
        isolation: PostgresIsolationLevel? = nil,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let begin = isolation.map { "BEGIN ISOLATION LEVEL \($0.sql)" } ?? "BEGIN"
        _ = try await timed(begin) {
            try await operation(cancellable: true) { connection in try await connection.simpleQuery(begin) }
        }
        let result: Result
        do {
            result = try await body(self)
            try Task.checkCancellation()
        } catch {
            await rollback()
            throw error
        }
        let commit: PostgresRows
        do {
            commit = try await uncancellableSimpleQuery("COMMIT")
        } catch {
            await rollback()
            throw error
        }
        if commit.commandTag == "ROLLBACK" { throw PostgresError(code: .transactionRolledBack) }
        return result
    }

    /// Rolls back, even in a cancelled task; a connection that cannot roll back is marked broken,
    /// so no one reuses its open transaction.
    private func rollback() async {
        do {
            _ = try await uncancellableSimpleQuery("ROLLBACK")
        } catch {
            markBroken()
        }
    }

    func markBroken() {
        let finish = state.withLock { state in
            state.broken = true
            guard !state.busy, !state.finished else { return false }
            state.finished = true
            return true
        }
        if finish { connection.finish() }
    }
}
