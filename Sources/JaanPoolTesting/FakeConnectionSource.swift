import DequeModule
public import JaanPool
import Synchronization

/// A deterministic ``ConnectionSource`` for tests: connections open at once, fail, or wait until the test
/// completes each attempt with ``nextConnectAttempt()``.
///
/// ```swift
/// let source = FakeConnectionSource(behavior: .manual)
/// // ... a borrower makes the pool open a connection ...
/// let attempt = await source.nextConnectAttempt()
/// attempt.succeed()   // or attempt.fail(FakeConnectError())
/// ```
public final class FakeConnectionSource: ConnectionSource {
    /// How ``makeConnection()`` answers.
    public struct Behavior: Sendable {
        enum Base: Sendable {
            case immediate
            case manual
            case failing(any Error)
        }

        let base: Base

        /// Every attempt succeeds at once.
        public static let immediate = Behavior(base: .immediate)
        /// Every attempt waits until the test completes it through ``FakeConnectionSource/nextConnectAttempt()``.
        public static let manual = Behavior(base: .manual)
        /// Every attempt throws `error` at once.
        public static func failing(_ error: any Error) -> Behavior { Behavior(base: .failing(error)) }
    }

    private struct State {
        var behavior: Behavior
        var connections: [FakeConnection] = []
        var attempts = 0
        var validations = 0
        var pending: Deque<ConnectAttempt> = []
        var attemptWaiters: Deque<UnsafeContinuation<ConnectAttempt, Never>> = []
    }

    private let state: Mutex<State>

    /// Creates a source.
    ///
    /// - Parameter behavior: how connection attempts answer; defaults to ``Behavior/immediate``.
    public init(behavior: Behavior = .immediate) {
        self.state = Mutex(State(behavior: behavior))
    }

    /// How the next attempts answer; may be changed at any time (a pending manual attempt stays pending).
    public var behavior: Behavior {
        get { self.state.withLock { $0.behavior } }
        set { self.state.withLock { $0.behavior = newValue } }
    }

    /// Every connection this source made, in order.
    public var connections: [FakeConnection] { self.state.withLock { $0.connections } }

    /// Connections made and not yet closed.
    public var openConnections: Int { self.connections.filter { !$0.isClosed }.count }

    /// How many times the pool called ``makeConnection()``.
    public var connectAttempts: Int { self.state.withLock { $0.attempts } }

    /// How many times the pool called ``validate(_:)``.
    public var validations: Int { self.state.withLock { $0.validations } }

    /// Opens a connection as ``behavior`` says.
    public func makeConnection() async throws -> FakeConnection {
        let behavior = self.state.withLock { state in
            state.attempts += 1
            return state.behavior
        }
        switch behavior.base {
        case .immediate:
            return self.register()
        case .failing(let error):
            throw error
        case .manual:
            let attempt = ConnectAttempt(source: self)
            return try await withTaskCancellationHandler {
                try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<FakeConnection, any Error>) in
                    attempt.install(continuation)
                    self.publish(attempt)
                }
            } onCancel: {
                attempt.complete(with: .failure(CancellationError()))
            }
        }
    }

    /// Accepts a connection that is usable and ``FakeConnection/passesValidation``; counts the call.
    public func validate(_ connection: FakeConnection) async -> Bool {
        self.state.withLock { $0.validations += 1 }
        return connection.isUsable && connection.passesValidation
    }

    /// Returns the oldest attempt not yet handed to the test, waiting for the pool to make one.
    ///
    /// Only attempts made under ``Behavior/manual`` are handed out.
    public func nextConnectAttempt() async -> ConnectAttempt {
        await withUnsafeContinuation { (continuation: UnsafeContinuation<ConnectAttempt, Never>) in
            let ready = self.state.withLock { state -> ConnectAttempt? in
                if let attempt = state.pending.popFirst() { return attempt }
                state.attemptWaiters.append(continuation)
                return nil
            }
            if let ready {
                continuation.resume(returning: ready)
            }
        }
    }

    func register() -> FakeConnection {
        self.state.withLock { state in
            let connection = FakeConnection(id: state.connections.count)
            state.connections.append(connection)
            return connection
        }
    }

    private func publish(_ attempt: ConnectAttempt) {
        let waiter = self.state.withLock { state -> UnsafeContinuation<ConnectAttempt, Never>? in
            if let waiter = state.attemptWaiters.popFirst() { return waiter }
            state.pending.append(attempt)
            return nil
        }
        waiter?.resume(returning: attempt)
    }
}

/// A connection attempt of a ``FakeConnectionSource`` in ``FakeConnectionSource/Behavior/manual`` mode, waiting
/// for the test to complete it.
public final class ConnectAttempt: Sendable {
    private struct State {
        var continuation: UnsafeContinuation<FakeConnection, any Error>?
        var outcome: Result<FakeConnection, any Error>?
    }

    private let source: FakeConnectionSource
    private let state = Mutex(State())

    init(source: FakeConnectionSource) {
        self.source = source
    }

    /// Completes the attempt with a new connection.
    ///
    /// - Returns: the connection, or `nil` when the attempt was already completed or cancelled (no connection
    ///   is made then).
    @discardableResult
    public func succeed() -> FakeConnection? {
        let continuation = self.state.withLock { state -> UnsafeContinuation<FakeConnection, any Error>? in
            guard state.outcome == nil, let continuation = state.continuation else { return nil }
            state.continuation = nil
            return continuation
        }
        guard let continuation else { return nil }
        let connection = self.source.register()
        self.state.withLock { $0.outcome = .success(connection) }
        continuation.resume(returning: connection)
        return connection
    }

    /// Completes the attempt by throwing `error` from ``FakeConnectionSource/makeConnection()``.
    public func fail(_ error: any Error) {
        self.complete(with: .failure(error))
    }

    func install(_ continuation: UnsafeContinuation<FakeConnection, any Error>) {
        let early = self.state.withLock { state -> Result<FakeConnection, any Error>? in
            if let outcome = state.outcome { return outcome }
            state.continuation = continuation
            return nil
        }
        if let early {
            continuation.resume(with: early)
        }
    }

    func complete(with outcome: Result<FakeConnection, any Error>) {
        let continuation = self.state.withLock { state -> UnsafeContinuation<FakeConnection, any Error>? in
            guard state.outcome == nil else { return nil }
            state.outcome = outcome
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(with: outcome)
    }
}

/// An error for tests to make a ``FakeConnectionSource`` fail with.
public struct FakeConnectError: Error, Hashable {
    /// Creates the error.
    public init() {}
}
