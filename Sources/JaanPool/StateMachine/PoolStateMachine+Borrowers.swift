public import DequeModule

extension PoolStateMachine {
    /// The fast path of every lease: a borrower arrives and takes the most recently used idle connection, when one
    /// is free, no one waits before it, and lending it needs nothing else done (no connection past its lifetime to
    /// close, no leak check to arm). `nil` otherwise, with nothing changed: the borrower then goes through
    /// ``lease(now:)``.
    @inlinable
    package mutating func leaseIdle(now: Instant) -> Lease? {
        guard self.isRunning, self.waiters.isEmpty, let entry = self.idle.last else { return nil }
        guard case .idle(let connection) = self.slots[entry.slot] else { preconditionFailure("idle list and slots disagree") }
        if let expiresAt = connection.expiresAt, expiresAt <= now { return nil }
        // The leak check is armed by the first lease after it last found nothing leased: rare, left to the slow path.
        if self.configuration.leakWarningThreshold != nil, self.leakCheckDeadline == nil { return nil }
        self.idle.removeLast()
        let idleFor = entry.since.duration(to: now)
        return self.markLeased(
            slot: entry.slot, connection, needsValidation: idleFor >= self.configuration.validationThreshold, now: now)
    }

    /// A borrower arrives: lend an idle connection if no one waits before it, refuse it, or hand out a ticket to
    /// wait with.
    @inlinable
    package mutating func lease(now: Instant) -> (Decision, Actions) {
        var actions = Actions()
        let decision: Decision
        if let refusal = self.refusal(now: now) {
            decision = .fail(refusal)
        } else if self.waiters.isEmpty, let lease = self.takeIdle(now: now, actions: &actions) {
            decision = .lend(lease)
        } else if self.waiters.count >= self.configuration.maximumWaiters {
            decision = .fail(self.error(.tooManyWaiters))
        } else {
            decision = .wait(ticket: self.nextTicket)
            self.nextTicket += 1
        }
        self.finish(now: now, actions: &actions)
        return (decision, actions)
    }

    /// A borrower that got a ticket from ``lease(now:)`` now has a waiter to resume: serve it at once if a
    /// connection came free meanwhile, or queue it behind the others until `now + acquireTimeout`.
    @inlinable
    package mutating func enqueue(ticket: Int, waiter: Waiter, now: Instant) -> (Decision, Actions) {
        var actions = Actions()
        let decision: Decision
        if let refusal = self.refusal(now: now) {
            decision = .fail(refusal)
        } else if self.waiters.isEmpty, let lease = self.takeIdle(now: now, actions: &actions) {
            decision = .lend(lease)
        } else if self.waiters.count >= self.configuration.maximumWaiters {
            decision = .fail(self.error(.tooManyWaiters))
        } else {
            self.waiters.append(
                WaiterEntry(ticket: ticket, waiter: waiter, deadline: now.advanced(by: self.configuration.acquireTimeout))
            )
            decision = .enqueued
        }
        self.finish(now: now, actions: &actions)
        return (decision, actions)
    }

    /// A waiting borrower was cancelled: take it out of the queue and return it to be resumed with an error,
    /// or `nil` when it was already served or failed (its lease then reaches it and it gives it back).
    @inlinable
    package mutating func cancelWaiter(ticket: Int) -> Waiter? {
        guard let index = self.waiters.firstIndex(where: { $0.ticket == ticket }) else { return nil }
        return self.waiters.remove(at: index).waiter
    }

    /// The fast path of every return: a usable connection comes back and is kept idle, when no one waits for it,
    /// it is within its lifetime, and no idle timeout starts with it. `false` otherwise, with nothing changed: the
    /// caller then gives it back with ``release(_:usable:now:actions:)``.
    @inlinable
    package mutating func releaseToIdle(_ lease: Lease, now: Instant) -> Bool {
        // An idle timeout starts with the first idle connection, and only above the minimum.
        guard self.isRunning, self.waiters.isEmpty, !self.idle.isEmpty || self.openCount <= self.minimum,
            case .leased(let connection, _, _) = self.slots[lease.slot], connection.id == lease.connectionID
        else { return false }
        if let expiresAt = connection.expiresAt, expiresAt <= now { return false }
        self.leasedCount -= 1
        self.slots[lease.slot] = .idle(connection)
        self.idle.append(IdleEntry(slot: lease.slot, since: now))
        return true
    }

    /// A borrower gives its connection back: hand it to the first waiter, keep it idle, or close it when it is
    /// unusable, past its lifetime, or the pool is shutting down.
    @inlinable
    package mutating func release(_ lease: Lease, usable: Bool, now: Instant) -> Actions {
        var actions = Actions()
        self.release(lease, usable: usable, now: now, actions: &actions)
        return actions
    }

    /// ``release(_:usable:now:)`` adding to `actions` in place.
    @inlinable
    package mutating func release(_ lease: Lease, usable: Bool, now: Instant, actions: inout Actions) {
        guard case .leased(let connection, _, _) = self.slots[lease.slot], connection.id == lease.connectionID else {
            // Closed by force at the shutdown deadline while it was out: nothing left to do.
            return
        }
        self.leasedCount -= 1
        if !usable {
            self.totalBroken += 1
            self.retire(slot: lease.slot, id: connection.id, connection: connection.connection, reason: .broken, actions: &actions)
        } else if !self.isRunning {
            self.retire(slot: lease.slot, id: connection.id, connection: connection.connection, reason: .shutdown, actions: &actions)
        } else if let expiresAt = connection.expiresAt, expiresAt <= now {
            self.retire(
                slot: lease.slot, id: connection.id, connection: connection.connection, reason: .lifetimeExpired, actions: &actions)
        } else if let next = self.waiters.popFirst() {
            let leakCheckArmed = self.leakCheckDeadline != nil
            actions.lend = (next.waiter, self.markLeased(slot: lease.slot, connection, needsValidation: false, now: now))
            // Handing over lowers demand and brings no deadline forward, unless it armed the leak check.
            if leakCheckArmed { return }
        } else {
            self.slots[lease.slot] = .idle(connection)
            self.idle.append(IdleEntry(slot: lease.slot, since: now))
            // Only a first idle connection starts an idle timeout to watch; demand is unchanged.
            if self.idle.count > 1 { return }
        }
        self.finish(now: now, actions: &actions)
    }

    /// Why a new borrower cannot even wait, if it cannot.
    @inlinable
    func refusal(now: Instant) -> PoolError? {
        guard self.isRunning else { return self.error(.shutdown) }
        // Nothing open, nothing opening, and the last attempt failed recently: fail fast rather than hang.
        if let backoffUntil = self.backoffUntil, backoffUntil > now, self.openCount == 0, self.openingCount == 0,
            let lastError = self.lastConnectError
        {
            return self.error(.connectFailed, underlying: lastError)
        }
        return nil
    }

    /// Lends the most recently used idle connection, closing any found past their lifetime on the way.
    @inlinable
    mutating func takeIdle(now: Instant, actions: inout Actions) -> Lease? {
        while let entry = self.idle.popLast() {
            guard case .idle(let connection) = self.slots[entry.slot] else {
                preconditionFailure("idle list and slots disagree")
            }
            if let expiresAt = connection.expiresAt, expiresAt <= now {
                self.retire(
                    slot: entry.slot, id: connection.id, connection: connection.connection, reason: .lifetimeExpired,
                    actions: &actions)
                continue
            }
            let idleFor = entry.since.duration(to: now)
            return self.markLeased(
                slot: entry.slot, connection, needsValidation: idleFor >= self.configuration.validationThreshold, now: now)
        }
        return nil
    }

    @inlinable
    mutating func markLeased(slot: Int, _ connection: OpenConnection, needsValidation: Bool, now: Instant) -> Lease {
        self.slots[slot] = .leased(connection, since: now, warned: false)
        self.leasedCount += 1
        self.totalLeases += 1
        if let threshold = self.configuration.leakWarningThreshold, self.leakCheckDeadline == nil {
            self.leakCheckDeadline = now.advanced(by: threshold)
        }
        return Lease(slot: slot, connectionID: connection.id, connection: connection.connection, needsValidation: needsValidation)
    }

    /// Fails every waiter with `error`.
    @inlinable
    mutating func failAllWaiters(_ error: PoolError, actions: inout Actions) {
        while let next = self.waiters.popFirst() {
            actions.failures.append((next.waiter, error))
        }
    }
}
