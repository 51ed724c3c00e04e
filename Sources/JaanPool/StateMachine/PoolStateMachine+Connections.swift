public import DequeModule

extension PoolStateMachine {
    /// The pool's ``ConnectionPool/run()`` started: open the minimum connections.
    @inlinable
    package mutating func start(now: Instant) -> Actions {
        var actions = Actions()
        self.finish(now: now, actions: &actions)
        return actions
    }

    /// A connection asked for with ``Work/open(slot:connectionID:)`` is open.
    ///
    /// - Parameter jitter: how much to take off this connection's maximum lifetime (the caller draws it at random
    ///   from `0...maximumLifetimeJitter`; tests pass a fixed value).
    @inlinable
    package mutating func connectionOpened(slot: Int, connectionID: Int, connection: Connection, now: Instant, jitter: Duration)
        -> Actions
    {
        var actions = Actions()
        guard case .opening(let id) = self.slots[slot], id == connectionID else {
            preconditionFailure("connection opened into a slot that was not opening")
        }
        self.openingCount -= 1
        self.consecutiveFailures = 0
        self.backoffUntil = nil
        self.lastConnectError = nil
        let expiresAt = self.configuration.maximumLifetime.map { lifetime in
            now.advanced(by: lifetime - min(max(jitter, .zero), lifetime))
        }
        let open = OpenConnection(id: connectionID, connection: connection, expiresAt: expiresAt)
        if !self.isRunning {
            self.retire(slot: slot, id: connectionID, connection: connection, reason: .shutdown, actions: &actions)
        } else {
            if let expiresAt, self.lifetimeDeadline.map({ expiresAt < $0 }) ?? true {
                self.lifetimeDeadline = expiresAt
            }
            if let next = self.waiters.popFirst() {
                actions.lend = (next.waiter, self.markLeased(slot: slot, open, needsValidation: false, now: now))
            } else {
                self.slots[slot] = .idle(open)
                self.idle.append(IdleEntry(slot: slot, since: now))
            }
        }
        self.finish(now: now, actions: &actions)
        return actions
    }

    /// A connection asked for with ``Work/open(slot:connectionID:)`` could not be opened: back off, and fail the
    /// waiters when the pool has no connection at all that could come free for them.
    @inlinable
    package mutating func connectFailed(slot: Int, connectionID: Int, error: any Error, now: Instant) -> Actions {
        var actions = Actions()
        guard case .opening(let id) = self.slots[slot], id == connectionID else {
            preconditionFailure("connect failed for a slot that was not opening")
        }
        self.slots[slot] = .free
        self.freeSlots.append(slot)
        self.openingCount -= 1
        self.totalOpenFailures += 1
        self.consecutiveFailures += 1
        if self.isRunning {
            self.lastConnectError = error
            self.backoffUntil = now.advanced(by: self.configuration.backoff(afterFailures: self.consecutiveFailures))
            if self.openCount == 0 && self.openingCount == 0 {
                self.failAllWaiters(self.error(.connectFailed, underlying: error), actions: &actions)
            }
        }
        self.finish(now: now, actions: &actions)
        return actions
    }

    /// A connection asked for with ``Work/close(slot:connectionID:connection:reason:)`` is closed.
    @inlinable
    package mutating func connectionClosed(slot: Int, connectionID: Int, now: Instant) -> Actions {
        var actions = Actions()
        guard case .closing(let id) = self.slots[slot], id == connectionID else {
            preconditionFailure("connection closed from a slot that was not closing")
        }
        self.slots[slot] = .free
        self.freeSlots.append(slot)
        self.closingCount -= 1
        self.finish(now: now, actions: &actions)
        return actions
    }

    /// Marks a slot's connection as closing and asks for the close. The caller has already taken the connection
    /// out of the idle list or the leased count.
    @inlinable
    mutating func retire(slot: Int, id: Int, connection: Connection, reason: CloseReason, actions: inout Actions) {
        self.slots[slot] = .closing(id: id)
        self.closingCount += 1
        actions.work.append(.close(slot: slot, connectionID: id, connection: connection, reason: reason))
    }

    /// Opens connections for the waiters not yet covered by a connection being opened, and up to the minimum,
    /// within the maximum and outside a back-off.
    @inlinable
    mutating func openForDemand(now: Instant, actions: inout Actions) {
        guard self.isRunning else { return }
        if let backoffUntil = self.backoffUntil {
            guard backoffUntil <= now else { return }
            self.backoffUntil = nil
        }
        let wanted = max(self.minimum - self.openCount - self.openingCount, self.waiters.count - self.openingCount)
        var count = min(wanted, self.freeSlots.count)
        while count > 0, let slot = self.freeSlots.popLast() {
            let id = self.nextConnectionID
            self.nextConnectionID += 1
            self.slots[slot] = .opening(id: id)
            self.openingCount += 1
            actions.work.append(.open(slot: slot, connectionID: id))
            count -= 1
        }
    }

    /// The common tail of every event: open for demand, notice the end of a shutdown, arm the timer.
    @inlinable
    mutating func finish(now: Instant, actions: inout Actions) {
        self.openForDemand(now: now, actions: &actions)
        if case .draining = self.phase, self.openCount + self.openingCount + self.closingCount == 0 {
            self.phase = .stopped
            self.scheduledTimer = nil
            actions.work.append(.shutdownComplete)
            return
        }
        self.scheduleNextTimer(actions: &actions)
    }
}
