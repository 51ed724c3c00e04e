import JaanPool
import JaanPoolTesting
import Logging
import Synchronization
import Testing

/// Runs `pool` in a task group around `body`, then cancels it and waits for `run()` to return.
func withRunningPool<Source: ConnectionSource, Result: Sendable>(
    _ pool: ConnectionPool<Source>,
    _ body: (ConnectionPool<Source>) async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await pool.run() }
        do {
            let result = try await body(pool)
            group.cancelAll()
            try await group.waitForAll()
            return result
        } catch {
            group.cancelAll()
            throw error
        }
    }
}

/// Waits until `condition` holds, yielding to other tasks between checks; records an issue after 60 s.
func waitUntil(
    _ condition: () -> Bool,
    sourceLocation: SourceLocation = #_sourceLocation
) async {
    let deadline = ContinuousClock.now.advanced(by: .seconds(60))
    while !condition() {
        if ContinuousClock.now > deadline {
            Issue.record("condition not met within 60 s", sourceLocation: sourceLocation)
            return
        }
        await Task.yield()
    }
}

/// A one-shot signal: tasks wait until it is opened.
final class Gate: Sendable {
    private struct State {
        var isOpen = false
        var waiters: [UnsafeContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func open() {
        let waiters = self.state.withLock { state in
            state.isOpen = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    var isOpen: Bool { self.state.withLock { $0.isOpen } }

    func wait() async {
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            let isOpen = self.state.withLock { state in
                if state.isOpen { return true }
                state.waiters.append(continuation)
                return false
            }
            if isOpen { continuation.resume() }
        }
    }
}

/// A thread-safe list, for recording what happened in which order.
final class Recorder<Element: Sendable>: Sendable {
    private let elements = Mutex<[Element]>([])

    func append(_ element: Element) {
        self.elements.withLock { $0.append(element) }
    }

    var all: [Element] { self.elements.withLock { $0 } }
}

/// A log handler that keeps every message, for checking what the pool logs.
struct RecordingLogHandler: LogHandler {
    let messages: Recorder<(level: Logger.Level, message: String)>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        self.messages.append((event.level, event.message.description))
    }
}

extension ConnectionPoolConfiguration {
    /// A small pool for tests: no lifetime, no leak warnings, unless a test sets them, and acquire and shutdown
    /// timeouts long enough that a loaded machine never reaches them on a real clock (tests of those timeouts use
    /// a manual clock).
    static func testing(minimum: Int = 0, maximum: Int = 2) -> ConnectionPoolConfiguration {
        var configuration = ConnectionPoolConfiguration()
        configuration.acquireTimeout = .seconds(300)
        configuration.shutdownTimeout = .seconds(300)
        configuration.minimumConnections = minimum
        configuration.maximumConnections = maximum
        configuration.maximumLifetime = nil
        configuration.leakWarningThreshold = nil
        return configuration
    }
}

let testLogger = Logger(label: "jaan.pool.tests", factory: { _ in SwiftLogNoOpLogHandler() })

/// A connection borrowed from a pool by a task of its own and held until ``release()``.
struct HeldConnection: Sendable {
    private let gate: Gate
    private let task: Task<Void, any Error>

    /// Borrows a connection from `pool` and returns once it is held.
    static func hold<Source: ConnectionSource>(from pool: ConnectionPool<Source>) async -> HeldConnection {
        let gate = Gate()
        let started = Gate()
        let task = Task {
            try await pool.withConnection { _ in
                started.open()
                await gate.wait()
            }
        }
        await started.wait()
        return HeldConnection(gate: gate, task: task)
    }

    /// Gives the connection back and waits until the borrower has finished.
    func release() async throws {
        self.gate.open()
        try await self.task.value
    }
}
