import Synchronization

/// A clock that moves only when a test advances it, so deadlines pass exactly when the test says.
struct ManualClock: Clock {
    struct Instant: InstantProtocol {
        var offset: Duration

        func advanced(by duration: Duration) -> Instant {
            Instant(offset: self.offset + duration)
        }

        func duration(to other: Instant) -> Duration {
            other.offset - self.offset
        }

        static func < (lhs: Instant, rhs: Instant) -> Bool {
            lhs.offset < rhs.offset
        }
    }

    private struct Sleeper {
        let deadline: Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var nextID = 0
        var sleepers: [Int: Sleeper] = [:]
        var sleeperWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

        /// Takes the waiters whose sleeper count is reached.
        mutating func readyWaiters() -> [CheckedContinuation<Void, Never>] {
            let count = self.sleepers.count
            let ready = self.sleeperWaiters.filter { $0.count <= count }.map(\.continuation)
            self.sleeperWaiters.removeAll { $0.count <= count }
            return ready
        }
    }

    private final class Storage: Sendable {
        let state = Mutex(State())
    }

    private let storage = Storage()

    var now: Instant { self.storage.state.withLock { $0.now } }

    var minimumResolution: Duration { .zero }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let id = self.storage.state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Action { case cancelled, due, waiting([CheckedContinuation<Void, Never>]) }
                let action = self.storage.state.withLock { state -> Action in
                    if Task.isCancelled { return .cancelled }
                    if deadline <= state.now { return .due }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return .waiting(state.readyWaiters())
                }
                switch action {
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .due: continuation.resume()
                case .waiting(let waiters): waiters.forEach { $0.resume() }
                }
            }
        } onCancel: {
            self.storage.state.withLock { $0.sleepers.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock forward and wakes the sleepers whose deadline has come.
    func advance(by duration: Duration) {
        let due = self.storage.state.withLock { state in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.value.deadline <= now }
            for id in due.keys { state.sleepers.removeValue(forKey: id) }
            return due.values.map(\.continuation)
        }
        due.forEach { $0.resume() }
    }

    /// Returns once at least `count` tasks sleep on the clock.
    func waitForSleepers(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = self.storage.state.withLock { state in
                guard state.sleepers.count >= count else {
                    state.sleeperWaiters.append((count, continuation))
                    return false
                }
                return true
            }
            if ready { continuation.resume() }
        }
    }
}
