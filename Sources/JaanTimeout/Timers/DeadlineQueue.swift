import NIOCore

/// The deadlines of the requests in flight on one event loop, earliest first, watched by one event-loop timer.
///
/// Scheduling and cancelling a NIO timer per request costs a lock and a search of the loop's whole timer queue,
/// which also holds every connection's idle timer: with 64 connections that doubled the middleware's cost. Here a
/// request's handler is linked in and out of a list without a lock or an allocation, and the timer is moved only
/// when it must fire sooner: when it fires for a request that finished in time, it finds nothing due and waits for
/// the new head.
///
/// Confined to its event loop: every method runs on the loop's thread. `@unchecked Sendable` so that the loop's
/// timer callback can hold it.
final class DeadlineQueue: @unchecked Sendable {
    let eventLoop: any EventLoop
    private var head: DeadlineHandler?
    private var tail: DeadlineHandler?
    /// The loop timer and when it fires, if one is armed.
    private var timer: (task: Scheduled<Void>, deadline: NIODeadline)?

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Queues `handler` for `deadline`, after every deadline no later than it (so, usually, at the end). A handler is
    /// queued once.
    func insert(_ handler: DeadlineHandler, at deadline: NIODeadline) {
        precondition(!handler.isQueued, "a deadline handler is queued once")
        handler.queuedDeadline = deadline
        handler.isQueued = true
        var before = self.tail
        while let candidate = before, candidate.queuedDeadline > deadline {
            before = candidate.queuedBefore
        }
        handler.queuedBefore = before
        handler.queuedAfter = before == nil ? self.head : before?.queuedAfter
        handler.queuedAfter?.queuedBefore = handler
        if let before { before.queuedAfter = handler } else { self.head = handler }
        if handler.queuedAfter == nil { self.tail = handler }
        if self.timer.map({ deadline < $0.deadline }) ?? true {
            self.arm(at: deadline)
        }
    }

    /// Takes a handler out, when its request finished in time; nothing when its deadline has passed already.
    func remove(_ handler: DeadlineHandler) {
        guard handler.isQueued else { return }
        handler.isQueued = false
        if let before = handler.queuedBefore { before.queuedAfter = handler.queuedAfter } else { self.head = handler.queuedAfter }
        if let after = handler.queuedAfter { after.queuedBefore = handler.queuedBefore } else { self.tail = handler.queuedBefore }
        handler.queuedBefore = nil
        handler.queuedAfter = nil
    }

    private func arm(at deadline: NIODeadline) {
        self.timer?.task.cancel()
        let task = self.eventLoop.scheduleTask(deadline: deadline) { self.fire() }
        self.timer = (task, deadline)
    }

    /// Tells every handler whose deadline has come, then waits for the earliest one left.
    private func fire() {
        self.timer = nil
        let now = self.eventLoop.now
        while let first = self.head, first.queuedDeadline <= now {
            self.remove(first)
            first.deadlinePassed()
        }
        if let first = self.head {
            self.arm(at: first.queuedDeadline)
        }
    }
}
