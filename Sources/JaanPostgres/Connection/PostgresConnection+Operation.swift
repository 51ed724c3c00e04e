import CLibPQ
import Dispatch
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The queue for libpq calls that block by design: `PQcancel` and the start of a connect
/// (which resolves host names). It never runs on Swift's cooperative pool.
let blockingQueue = DispatchQueue(label: "jaan.postgres.blocking", attributes: .concurrent)

extension PostgresConnection {
    /// Runs `body` as the connection's one operation, with cancellation turned into `PQcancel`.
    func operation<Result>(
        cancellable: Bool,
        _ body: (LibPQConnection) async throws -> Result
    ) async throws -> Result {
        if cancellable { try Task.checkCancellation() }
        let id = try begin()
        do {
            let result: Result
            if cancellable {
                result = try await withTaskCancellationHandler {
                    try await body(connection)
                } onCancel: {
                    requestCancel(operation: id)
                }
            } else {
                result = try await body(connection)
            }
            let cancelled = await end(operation: id)
            if cancelled { throw CancellationError() }
            return result
        } catch {
            let cancelled = await end(operation: id)
            if cancelled, let error = error as? PostgresError, error.sqlState == .queryCanceled { throw CancellationError() }
            throw error
        }
    }

    private func begin() throws -> UInt64 {
        try state.withLock { state in
            guard !state.closed, !state.broken, !state.finished else { throw PostgresError.connectionClosed }
            guard !state.busy else { throw PostgresError.connectionBusy }
            state.busy = true
            state.operation &+= 1
            state.cancel = .none
            return state.operation
        }
    }

    /// Ends an operation: waits for a cancel request in flight (so it can never hit a later
    /// statement), notes a broken connection, and closes the connection if asked meanwhile.
    /// - Returns: Whether a cancel was requested for this operation.
    private func end(operation id: UInt64) async -> Bool {
        let cancelInFlight = state.withLock { state in
            if case .sending = state.cancel { return true }
            return false
        }
        if cancelInFlight {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    if case .sending = state.cancel {
                        state.cancel = .sending(waiter: continuation)
                        return false
                    }
                    return true
                }
                if resumeNow { continuation.resume() }
            }
        }
        let bad = connection.isBad || connection.abandoned
        let inTransaction = !bad && PQtransactionStatus(connection.pointer) != PQTRANS_IDLE
        let (finish, cancelled) = state.withLock { state in
            var cancelled = false
            if case .sent = state.cancel { cancelled = true }
            state.cancel = .none
            state.busy = false
            if bad { state.broken = true }
            state.inTransaction = inTransaction
            let finish = (state.closed || state.broken) && !state.finished
            if finish { state.finished = true }
            return (finish, cancelled)
        }
        if bad { logger.debug("postgres connection broken", metadata: ["reason": "\(connection.errorMessage)"]) }
        if finish { connection.finish() }
        return cancelled
    }

    /// Asks the server to cancel the running statement, on the blocking queue.
    private func requestCancel(operation id: UInt64) {
        let send = state.withLock { state in
            guard state.busy, state.operation == id, case .none = state.cancel else { return false }
            state.cancel = .sending(waiter: nil)
            return true
        }
        guard send else { return }
        blockingQueue.async { [self] in
            var errorBuffer = [CChar](repeating: 0, count: 256)
            let sent = connection.cancelHandle.map { PQcancel($0, &errorBuffer, Int32(errorBuffer.count)) == 1 } ?? false
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard case .sending(let waiter) = state.cancel else { return nil }
                state.cancel = .sent
                return waiter
            }
            waiter?.resume()
            if sent {
                blockingQueue.asyncAfter(deadline: .now() + configuration.cancelDrainTimeout.timeInterval) { [self] in
                    abandon(operation: id, reason: "the server did not answer a cancel request in time")
                }
            } else {
                abandon(operation: id, reason: "the cancel request could not be sent")
            }
        }
    }

    /// Marks the connection broken and shuts its socket down, ending the operation's wait,
    /// if the operation `id` is still running: its state on the server is unknown.
    private func abandon(operation id: UInt64, reason: String) {
        let abandoned = state.withLock { state in
            guard state.busy, state.operation == id, !state.finished else { return false }
            state.broken = true
            shutdown(connection.socket, Int32(SHUT_RDWR))
            return true
        }
        if abandoned { logger.warning("postgres connection abandoned", metadata: ["reason": "\(reason)"]) }
    }
}
