import NIOCore

/// The deadlines of the requests in flight on one event loop, earliest first, watched by one event-loop timer.
///
/// Scheduling and cancelling a NIO timer per request costs a lock and a search of the loop's whole timer queue,
/// which also holds every connection's idle timer: with 64 connections that doubled the middleware's cost. Here a
/// request's deadline is linked in and out of a list without a lock, and the timer is moved only when it must fire
/// sooner: when it fires for a request that finished in time, it finds nothing due and waits for the new head.
///
/// Confined to its event loop: every method runs on the loop's thread. `@unchecked Sendable` so that the loop's
/// timer callback can hold it.
final class DeadlineQueue: @unchecked Sendable {
    /// One deadline in the queue; like the queue, only touched on its loop.
    final class Entry: @unchecked Sendable {
        let deadline: NIODeadline
        let handler: any DeadlineHandler
        fileprivate var previous: Entry?
        fileprivate var next: Entry?
        fileprivate var isLinked = true

        fileprivate init(deadline: NIODeadline, handler: any DeadlineHandler) {
            self.deadline = deadline
            self.handler = handler
        }
    }

    let eventLoop: any EventLoop
    private var head: Entry?
    private var tail: Entry?
    /// The loop timer and when it fires, if one is armed.
    private var timer: (task: Scheduled<Void>, deadline: NIODeadline)?

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Adds a deadline, after every deadline no later than it (so, usually, at the end).
    func insert(_ deadline: NIODeadline, handler: any DeadlineHandler) -> Entry {
        let entry = Entry(deadline: deadline, handler: handler)
        var before = self.tail
        while let candidate = before, candidate.deadline > deadline {
            before = candidate.previous
        }
        entry.previous = before
        entry.next = before == nil ? self.head : before?.next
        entry.next?.previous = entry
        if let before { before.next = entry } else { self.head = entry }
        if entry.next == nil { self.tail = entry }
        if self.timer.map({ deadline < $0.deadline }) ?? true {
            self.arm(at: deadline)
        }
        return entry
    }

    /// Takes a deadline out, when its request finished in time; nothing when it has fired already.
    func remove(_ entry: Entry) {
        guard entry.isLinked else { return }
        entry.isLinked = false
        if let previous = entry.previous { previous.next = entry.next } else { self.head = entry.next }
        if let next = entry.next { next.previous = entry.previous } else { self.tail = entry.previous }
        entry.previous = nil
        entry.next = nil
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
        while let first = self.head, first.deadline <= now {
            self.remove(first)
            first.handler.deadlinePassed()
        }
        if let first = self.head {
            self.arm(at: first.deadline)
        }
    }
}
