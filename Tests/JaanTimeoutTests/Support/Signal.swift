import Synchronization

/// A one-shot event a test waits on instead of sleeping.
final class Signal: Sendable {
    private struct State {
        var fired = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    var hasFired: Bool { self.state.withLock { $0.fired } }

    func fire() {
        let waiters = self.state.withLock { state in
            state.fired = true
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let fired = self.state.withLock { state in
                if !state.fired { state.waiters.append(continuation) }
                return state.fired
            }
            if fired { continuation.resume() }
        }
    }
}

/// A count shared between a test and its handlers.
final class AtomicCounter: Sendable {
    private let value = Atomic(0)

    var current: Int { self.value.load(ordering: .sequentiallyConsistent) }

    func increment() { self.value.add(1, ordering: .sequentiallyConsistent) }

    func decrement() { self.value.subtract(1, ordering: .sequentiallyConsistent) }
}

/// Waits until the task is cancelled, holding no timer, and throws `CancellationError`.
func waitUntilCancelled() async throws {
    let (stream, continuation) = AsyncStream.makeStream(of: Never.self)
    await withTaskCancellationHandler {
        for await _ in stream {}
    } onCancel: {
        continuation.finish()
    }
    throw CancellationError()
}
