public import JaanPool
import Synchronization

/// A connection made by ``FakeConnectionSource``: it records how the pool treats it, and a test can break it.
public final class FakeConnection: PooledConnection, CustomStringConvertible {
    private struct State {
        var usable = true
        var passesValidation = true
        var closeCount = 0
        var closeWaiters: [UnsafeContinuation<Void, Never>] = []
    }

    /// The number of this connection among those its source made, from 0.
    public let id: Int
    private let state = Mutex(State())

    init(id: Int) {
        self.id = id
    }

    /// `false` after ``markBroken()``.
    public var isUsable: Bool { self.state.withLock { $0.usable } }

    /// Makes ``isUsable`` `false`, as a connection whose socket failed.
    public func markBroken() {
        self.state.withLock { $0.usable = false }
    }

    /// Whether ``FakeConnectionSource/validate(_:)`` accepts this connection (while it is usable). Defaults to `true`.
    public var passesValidation: Bool {
        get { self.state.withLock { $0.passesValidation } }
        set { self.state.withLock { $0.passesValidation = newValue } }
    }

    /// How many times the pool closed this connection; a correct pool closes each connection once.
    public var closeCount: Int { self.state.withLock { $0.closeCount } }

    /// Whether the pool closed this connection.
    public var isClosed: Bool { self.closeCount > 0 }

    /// Records the close and wakes ``waitUntilClosed()``.
    public func close() async {
        let waiters = self.state.withLock { state in
            state.closeCount += 1
            defer { state.closeWaiters = [] }
            return state.closeWaiters
        }
        for waiter in waiters {
            waiter.resume()
        }
    }

    /// Returns once the pool has closed this connection.
    public func waitUntilClosed() async {
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            let closed = self.state.withLock { state in
                if state.closeCount > 0 { return true }
                state.closeWaiters.append(continuation)
                return false
            }
            if closed {
                continuation.resume()
            }
        }
    }

    /// `FakeConnection(id)`.
    public var description: String { "FakeConnection(\(self.id))" }
}
