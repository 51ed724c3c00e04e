import JaanHTTP
import NIOCore
import Synchronization

/// Carries a streamed response body from the task that produces it to the task that sends it, one event at a time,
/// and tells the sender when the request's deadline passes.
///
/// The producer's writes wait until the sender has sent them, so the client's pace and any send error reach the
/// producer as they would without the relay.
final class BodyRelay<Timer: DeadlineTimer>: DeadlineHandler, DeadlineScope {
    /// What the sender does next.
    enum Event: Sendable {
        case write(ByteBuffer)
        case flush
        case end
        /// The producer failed with this error.
        case failed(any Error)
        /// The deadline passed.
        case expired
    }

    private struct State {
        /// The producer's event that the sender has not taken yet.
        var offered: Event?
        /// The producer, waiting until its event has been sent.
        var producer: CheckedContinuation<Void, any Error>?
        /// The sender, waiting for the next event.
        var sender: CheckedContinuation<Event, Never>?
        var failure: (any Error)?
        var expired = false
        /// Set when the sender stops; the producer's writes fail from then on.
        var closed = false
        var timer: Timer.Handle?
    }

    let timeout: Duration?
    let deadline: Timer.Instant
    let timer: Timer
    private let state = Mutex(State())

    init(timeout: Duration, deadline: Timer.Instant, timer: Timer) {
        self.timeout = timeout
        self.deadline = deadline
        self.timer = timer
    }

    var remaining: Duration? {
        self.timer.remaining(until: self.deadline)
    }

    /// The body is being sent already; a middleware further in cannot move its deadline, only end the exchange sooner.
    func handOver() -> Bool { true }

    /// Keeps the handle of the started timer, or cancels it at once when the relay is closed already.
    func timerStarted(_ handle: Timer.Handle?) {
        guard let handle else { return }
        let kept = self.state.withLock { state in
            guard !state.closed else { return false }
            state.timer = handle
            return true
        }
        if !kept { self.timer.cancel(handle) }
    }

    // MARK: Producer side

    private enum SendAction {
        case reject
        case deliver(CheckedContinuation<Event, Never>)
        case wait
    }

    /// Offers `event` (a write, a flush or the end) and waits until the sender has sent it.
    ///
    /// - Throws: `CancellationError` when the sender has stopped or the deadline has passed.
    func send(_ event: Event) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let action = self.state.withLock { state -> SendAction in
                guard !state.closed else { return .reject }
                state.producer = continuation
                guard let sender = state.sender.take() else {
                    state.offered = event
                    return .wait
                }
                return .deliver(sender)
            }
            switch action {
            case .reject: continuation.resume(throwing: CancellationError())
            case .deliver(let sender): sender.resume(returning: event)
            case .wait: break
            }
        }
    }

    /// The producer failed; the sender stops with `error`.
    func fail(_ error: any Error) {
        let sender = self.state.withLock { state -> CheckedContinuation<Event, Never>? in
            state.failure = error
            return state.sender.take()
        }
        sender?.resume(returning: .failed(error))
    }

    // MARK: Sender side

    /// Waits for the next event; the passing of the deadline comes before anything the producer offers.
    func next() async -> Event {
        await withCheckedContinuation { continuation in
            let ready = self.state.withLock { state -> Event? in
                if state.expired { return .expired }
                if let failure = state.failure { return .failed(failure) }
                if let offered = state.offered.take() { return offered }
                state.sender = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// The event taken last has been sent: the producer goes on.
    func acknowledge() {
        self.state.withLock { $0.producer.take() }?.resume()
    }

    /// The sender stops: the timer is cancelled and the producer's pending and later writes fail.
    func close() {
        let (producer, timer) = self.state.withLock { state in
            state.closed = true
            return (state.producer.take(), state.timer.take())
        }
        if let timer { self.timer.cancel(timer) }
        producer?.resume(throwing: CancellationError())
    }

    func deadlinePassed() {
        let (sender, producer) = self.state.withLock { state -> (CheckedContinuation<Event, Never>?, CheckedContinuation<Void, any Error>?) in
            guard !state.closed else { return (nil, nil) }
            state.expired = true
            state.closed = true
            state.timer = nil
            return (state.sender.take(), state.producer.take())
        }
        producer?.resume(throwing: CancellationError())
        sender?.resume(returning: .expired)
    }
}

/// The writer the producer of a relayed body writes to.
struct RelayWriter<Timer: DeadlineTimer>: ResponseBodyWriter {
    let relay: BodyRelay<Timer>

    mutating func write(_ buffer: ByteBuffer) async throws {
        try await self.relay.send(.write(buffer))
    }

    mutating func flush() async throws {
        try await self.relay.send(.flush)
    }

    mutating func finish() async throws {
        try await self.relay.send(.end)
    }
}
