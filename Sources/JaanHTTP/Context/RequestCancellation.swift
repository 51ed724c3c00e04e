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

    /// The request's deadline as the deadline middleware keeps it (JaanTimeout's), or `nil` when none is kept or the
    /// request is over.
    ///
    /// It is kept here, beside what cancels the request, so that setting it neither copies the context nor binds a
    /// task-local value: either costs every request more than the rest of the deadline's work. It is an object so
    /// that it is stored without a box.
    package var deadline: (any AnyObject & Sendable)? {
        self.signal?.deadline(of: self.request)
    }

    /// Keeps `deadline` as the request's deadline and returns the one it replaces; once the request is over, keeps
    /// nothing and returns `nil`.
    package func exchangeDeadline(_ deadline: (any AnyObject & Sendable)?) -> (any AnyObject & Sendable)? {
        self.signal?.exchangeDeadline(deadline, of: self.request)
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
        /// The deadline kept for the request being served.
        var deadline: (any AnyObject & Sendable)?
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

    /// The request being served is over: its cancellation no longer fires the signal, and its deadline is dropped.
    package func end() {
        self.state.withLock { state in
            state.serving = nil
            state.deadline = nil
        }
    }

    /// The deadline kept for request number `request`, if it is being served.
    fileprivate func deadline(of request: UInt64) -> (any AnyObject & Sendable)? {
        self.state.withLock { $0.serving == request ? $0.deadline : nil }
    }

    /// Keeps `deadline` for request number `request`, if it is being served; returns the one it replaces.
    fileprivate func exchangeDeadline(_ deadline: (any AnyObject & Sendable)?, of request: UInt64) -> (any AnyObject & Sendable)? {
        self.state.withLock { state in
            guard state.serving == request else { return nil }
            defer { state.deadline = deadline }
            return state.deadline
        }
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
