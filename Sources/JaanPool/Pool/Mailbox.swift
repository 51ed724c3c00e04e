import DequeModule
import Synchronization

/// A single-consumer queue of work for the pool's ``ConnectionPool/run()`` loop.
///
/// Unlike `AsyncStream`, waiting for the next element ignores task cancellation, so the loop can go on
/// closing connections after its task was cancelled; it ends when ``finish()`` is called and the queue is empty.
@usableFromInline
final class Mailbox<Element: Sendable>: Sendable {
    private struct State {
        var buffer: Deque<Element> = []
        var consumer: UnsafeContinuation<Element?, Never>?
        var finished = false
    }

    private let state = Mutex(State())

    /// Adds `element`, waking the consumer if it waits. Ignored after ``finish()``.
    @usableFromInline
    func send(_ element: Element) {
        let consumer = self.state.withLock { state -> UnsafeContinuation<Element?, Never>? in
            guard !state.finished else { return nil }
            if let consumer = state.consumer {
                state.consumer = nil
                return consumer
            }
            state.buffer.append(element)
            return nil
        }
        consumer?.resume(returning: element)
    }

    /// Ends the queue: the consumer gets the elements already sent, then `nil`.
    func finish() {
        let consumer = self.state.withLock { state -> UnsafeContinuation<Element?, Never>? in
            state.finished = true
            defer { state.consumer = nil }
            return state.consumer
        }
        consumer?.resume(returning: nil)
    }

    /// The next element, waiting for one if needed; `nil` once finished and drained.
    func next() async -> Element? {
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Element?, Never>) in
            let ready = self.state.withLock { state -> Element?? in
                if let element = state.buffer.popFirst() { return .some(element) }
                if state.finished { return .some(nil) }
                state.consumer = continuation
                return .none
            }
            if let ready {
                continuation.resume(returning: ready)
            }
        }
    }
}
