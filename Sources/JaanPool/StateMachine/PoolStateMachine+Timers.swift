public import DequeModule

extension PoolStateMachine {
    /// A timer asked for with ``Work/schedule(_:)`` fired: time out waiters, close connections idle too long or
    /// past their lifetime, warn of leaks, end a back-off, and close leases still out at the shutdown deadline.
    @inlinable
    package mutating func timerFired(deadline: Instant, now: Instant) -> Actions {
        var actions = Actions()
        if self.scheduledTimer == deadline {
            self.scheduledTimer = nil
        }
        while let first = self.waiters.first, first.deadline <= now {
            self.waiters.removeFirst()
            self.totalTimeouts += 1
            actions.timeouts += 1
            actions.failures.append((first.waiter, self.error(.exhausted)))
        }
        self.closeIdleConnections(now: now, actions: &actions)
        if let lifetimeDeadline = self.lifetimeDeadline, lifetimeDeadline <= now {
            self.closeExpiredConnections(now: now, actions: &actions)
        }
        if let leakCheckDeadline = self.leakCheckDeadline, leakCheckDeadline <= now {
            self.checkLeaks(now: now, actions: &actions)
        }
        if case .draining(let shutdownDeadline) = self.phase, shutdownDeadline <= now {
            self.closeLeasedConnections(actions: &actions)
        }
        self.finish(now: now, actions: &actions)
        return actions
    }

    /// Stop lending: fail the waiters, close the idle connections, and close the leased ones as they come back
    /// or at `now + timeout`, whichever is first. A second call may only bring the deadline forward.
    @inlinable
    package mutating func shutdown(now: Instant, timeout: Duration) -> Actions {
        var actions = Actions()
        let deadline = now.advanced(by: max(timeout, .zero))
        switch self.phase {
        case .stopped:
            return actions
        case .draining(let current):
            guard deadline < current else { return actions }
            self.phase = .draining(deadline: deadline)
        case .running:
            self.phase = .draining(deadline: deadline)
            self.backoffUntil = nil
            self.failAllWaiters(self.error(.shutdown), actions: &actions)
            while let entry = self.idle.popLast() {
                guard case .idle(let connection) = self.slots[entry.slot] else { preconditionFailure("idle list and slots disagree") }
                self.retire(slot: entry.slot, id: connection.id, connection: connection.connection, reason: .shutdown, actions: &actions)
            }
        }
        if deadline <= now {
            self.closeLeasedConnections(actions: &actions)
        }
        self.finish(now: now, actions: &actions)
        return actions
    }

    /// Closes the oldest idle connections that sat idle longer than the idle timeout, while more than the minimum
    /// are open.
    @inlinable
    mutating func closeIdleConnections(now: Instant, actions: inout Actions) {
        while self.openCount > self.minimum, let oldest = self.idle.first,
            oldest.since.advanced(by: self.configuration.idleTimeout) <= now
        {
            self.idle.removeFirst()
            guard case .idle(let connection) = self.slots[oldest.slot] else { preconditionFailure("idle list and slots disagree") }
            self.retire(slot: oldest.slot, id: connection.id, connection: connection.connection, reason: .idleTimeout, actions: &actions)
        }
    }

    /// Closes idle connections past their lifetime (leased ones close when they come back) and finds the next
    /// lifetime to watch.
    @inlinable
    mutating func closeExpiredConnections(now: Instant, actions: inout Actions) {
        var kept = Deque<IdleEntry>()
        kept.reserveCapacity(self.idle.count)
        for entry in self.idle {
            guard case .idle(let connection) = self.slots[entry.slot] else { preconditionFailure("idle list and slots disagree") }
            if let expiresAt = connection.expiresAt, expiresAt <= now {
                self.retire(
                    slot: entry.slot, id: connection.id, connection: connection.connection, reason: .lifetimeExpired,
                    actions: &actions)
            } else {
                kept.append(entry)
            }
        }
        self.idle = kept
        var next: Instant?
        for slot in self.slots {
            let expiresAt: Instant?
            switch slot {
            case .idle(let connection), .leased(let connection, _, _): expiresAt = connection.expiresAt
            case .free, .opening, .closing: expiresAt = nil
            }
            if let expiresAt, expiresAt > now, next.map({ expiresAt < $0 }) ?? true {
                next = expiresAt
            }
        }
        self.lifetimeDeadline = next
    }

    /// Reports each lease held past the leak warning threshold once, and finds the next lease to watch.
    @inlinable
    mutating func checkLeaks(now: Instant, actions: inout Actions) {
        guard let threshold = self.configuration.leakWarningThreshold else {
            self.leakCheckDeadline = nil
            return
        }
        var next: Instant?
        for index in self.slots.indices {
            guard case .leased(let connection, let since, let warned) = self.slots[index], !warned else { continue }
            let warnAt = since.advanced(by: threshold)
            if warnAt <= now {
                self.slots[index] = .leased(connection, since: since, warned: true)
                actions.work.append(.leakWarning(connectionID: connection.id, heldFor: since.duration(to: now)))
            } else if next.map({ warnAt < $0 }) ?? true {
                next = warnAt
            }
        }
        self.leakCheckDeadline = next
    }

    /// Closes every leased connection: the shutdown deadline has passed. Their borrowers' later releases are
    /// ignored.
    @inlinable
    mutating func closeLeasedConnections(actions: inout Actions) {
        for index in self.slots.indices {
            guard case .leased(let connection, _, _) = self.slots[index] else { continue }
            self.leasedCount -= 1
            self.retire(
                slot: index, id: connection.id, connection: connection.connection, reason: .forcedAtShutdownDeadline,
                actions: &actions)
        }
    }

    /// Asks for a timer at the earliest deadline the pool has, unless one at or before it is already asked for.
    @inlinable
    mutating func scheduleNextTimer(actions: inout Actions) {
        if case .stopped = self.phase { return }
        var next = self.waiters.first?.deadline
        func consider(_ candidate: Instant?) {
            guard let candidate else { return }
            if next.map({ candidate < $0 }) ?? true { next = candidate }
        }
        if self.openCount > self.minimum, let oldest = self.idle.first {
            consider(oldest.since.advanced(by: self.configuration.idleTimeout))
        }
        consider(self.lifetimeDeadline)
        consider(self.leakCheckDeadline)
        consider(self.backoffUntil)
        if case .draining(let deadline) = self.phase {
            consider(deadline)
        }
        guard let next else { return }
        if self.scheduledTimer.map({ next < $0 }) ?? true {
            self.scheduledTimer = next
            actions.work.append(.schedule(next))
        }
    }
}
