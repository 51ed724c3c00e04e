import DequeModule
import Synchronization

/// The floor: the least a correct pool must do. A `Mutex`-guarded array of the same connections, and a FIFO of
/// continuations for borrowers that find it empty. No timeouts, no cancellation, no metrics, no upkeep.
final class FloorPool<Connection: Sendable>: Sendable {
    private struct State {
        var idle: [Connection]
        var waiters: Deque<UnsafeContinuation<Connection, Never>> = []
    }

    private let state: Mutex<State>

    init(connections: [Connection]) {
        self.state = Mutex(State(idle: connections))
    }

    func withConnection<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (Connection) async throws -> Result
    ) async rethrows -> Result {
        let connection: Connection
        if let available = self.state.withLock({ $0.idle.popLast() }) {
            connection = available
        } else {
            connection = await withUnsafeContinuation { (continuation: UnsafeContinuation<Connection, Never>) in
                let available = self.state.withLock { state -> Connection? in
                    if let available = state.idle.popLast() { return available }
                    state.waiters.append(continuation)
                    return nil
                }
                if let available { continuation.resume(returning: available) }
            }
        }
        defer { self.release(connection) }
        return try await body(connection)
    }

    private func release(_ connection: Connection) {
        let waiter = self.state.withLock { state -> UnsafeContinuation<Connection, Never>? in
            if let waiter = state.waiters.popFirst() { return waiter }
            state.idle.append(connection)
            return nil
        }
        waiter?.resume(returning: connection)
    }
}
