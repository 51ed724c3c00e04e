import Synchronization

/// Cancels the task that serves a request.
///
/// The handler, and every task it started, then see Swift's cooperative cancellation: a pool wait or a query it
/// awaits is cancelled too. The server still sends what the middleware chain returns or throws, then closes the
/// connection, since a cancelled task cannot serve another request on it. Deadline middleware uses this to stop
/// work without running each handler in a task of its own.
///
/// The server and `InProcessTestClient` give every request one, in ``CoreRequestContext/cancellation``; in a context
/// made without one, ``cancel()`` does nothing.
public struct RequestCancellation: Sendable {
    private let signal: CancellationSignal?
    private let request: UInt64

    /// A cancellation that does nothing, for contexts made outside a server.
    public static var none: RequestCancellation { RequestCancellation(signal: nil, request: 0) }

    /// Creates the cancellation of request number `request` of the connection whose task `signal` cancels.
    package init(signal: CancellationSignal?, request: UInt64) {
        self.signal = signal
        self.request = request
    }

    /// Cancels the task serving the request, from any thread. Once the response has been sent, or when called again,
    /// it changes nothing.
    public func cancel() {
        self.signal?.fire(request: self.request)
    }
}

/// Cancels the task of one connection: ``wait()`` returns once the signal fires, which its waiter turns into the
/// cancellation of its sibling task.
///
/// It fires when the connection closes, or when the request it is serving is cancelled; the cancellation of a
/// request that is over is ignored.
package final class CancellationSignal: Sendable {
    private struct State {
        var fired = false
        var waiter: CheckedContinuation<Void, Never>?
        /// The request being served, or `nil` between requests.
        var serving: UInt64?
    }

    private let state = Mutex(State())

    /// Creates an unfired signal.
    package init() {}

    /// Whether the signal has fired.
    package var hasFired: Bool {
        self.state.withLock { $0.fired }
    }

    /// Request number `request` is being served from now on: its cancellation fires the signal.
    package func begin(request: UInt64) {
        self.state.withLock { $0.serving = request }
    }

    /// The request being served is over: its cancellation no longer fires the signal.
    package func end() {
        self.state.withLock { $0.serving = nil }
    }

    /// Fires the signal if request number `request` is being served.
    package func fire(request: UInt64) {
        self.fire { $0.serving == request }
    }

    /// Fires the signal, waking its waiter.
    package func fire() {
        self.fire { _ in true }
    }

    private func fire(if condition: (State) -> Bool) {
        let waiter = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.fired, condition(state) else { return nil }
            state.fired = true
            return state.waiter.take()
        }
        waiter?.resume()
    }

    /// Waits until the signal fires, or until the waiting task is cancelled; one task waits at a time.
    package func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let fired = self.state.withLock { state -> Bool in
                    guard !state.fired else { return true }
                    state.waiter = continuation
                    return false
                }
                if fired { continuation.resume() }
            }
        } onCancel: {
            self.fire()
        }
    }
}
