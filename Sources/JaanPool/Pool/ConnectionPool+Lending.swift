public import CoreMetrics
public import Logging
public import Synchronization

extension ConnectionPool {
    /// Takes an idle connection if one is free and no one waits: the fast path, with no suspension, one lock and
    /// a coarse time stamp.
    @inlinable
    func leaseIdleConnection() -> Lease? {
        let now = self.clock.stamp
        let (lease, gauges) = self.state.withLock { machine in
            (machine.leaseIdle(now: now), machine.gauges)
        }
        guard let lease else { return nil }
        self.metrics.recordAcquire(nanoseconds: 0)
        // Only the idle and leased counts moved.
        self.metrics.recordIdleAndLeased(gauges)
        return lease
    }

    /// Takes a connection: an idle one at once, or after waiting in line; validated if it sat idle too long.
    ///
    /// - Parameter candidate: a connection already taken by ``leaseIdleConnection()`` that must be validated first.
    @inlinable
    func acquire(validating candidate: Lease?, isolation: isolated (any Actor)?) async throws -> Lease {
        var candidate = candidate
        while true {
            if let lease = candidate {
                candidate = nil
                if await self.validate(lease) { return lease }
            }
            let start = self.clock.now
            let (decision, actions, gauges) = self.state.withLock { machine in
                let (decision, actions) = machine.lease(now: start)
                return (decision, actions, machine.gauges)
            }
            self.perform(actions, gauges)
            let lease: Lease
            switch decision {
            case .lend(let immediate):
                self.metrics.recordAcquire(nanoseconds: 0)
                lease = immediate
            case .wait(let ticket):
                lease = try await self.wait(ticket: ticket, since: start, isolation: isolation)
                self.metrics.recordAcquire(nanoseconds: start.duration(to: self.clock.now).nanoseconds)
            case .fail(let error):
                throw error
            case .enqueued:
                preconditionFailure("a new borrower is never enqueued without a waiter")
            }
            if await self.validate(lease) { return lease }
        }
    }

    /// Whether `lease` may be used: validated by the source if it sat idle too long, given back broken if not.
    @inlinable
    func validate(_ lease: Lease) async -> Bool {
        guard lease.needsValidation else { return true }
        if await self.source.validate(lease.connection) { return true }
        self.logger.debug("Idle connection failed validation", metadata: ["jaan.pool.connection": "\(lease.connectionID)"])
        self.release(lease, usable: false)
        return false
    }

    /// Waits in line for a connection; leaves the line at once when the task is cancelled.
    @inlinable
    func wait(ticket: Int, since: PoolClock.Instant, isolation: isolated (any Actor)?) async throws -> Lease {
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: Waiter) in
                let outcome = self.state.withLock { machine -> (Machine.Decision, Machine.Actions, Machine.Gauges)? in
                    // Checked under the lock: a cancellation that ran before this point found nothing to remove.
                    guard !Task.isCancelled else { return nil }
                    let (decision, actions) = machine.enqueue(ticket: ticket, waiter: continuation, now: since)
                    return (decision, actions, machine.gauges)
                }
                guard let (decision, actions, gauges) = outcome else {
                    continuation.resume(throwing: CancellationError())
                    return
                }
                switch decision {
                case .lend(let lease):
                    continuation.resume(returning: lease)
                case .fail(let error):
                    continuation.resume(throwing: error)
                case .enqueued, .wait:
                    break
                }
                self.perform(actions, gauges)
            }
        } onCancel: {
            let (waiter, gauges) = self.state.withLock { machine in
                (machine.cancelWaiter(ticket: ticket), machine.gauges)
            }
            if let waiter {
                waiter.resume(throwing: CancellationError())
                self.metrics.record(gauges)
            }
        }
    }

    /// Gives a connection back; `usable: false` closes and replaces it.
    @inlinable
    func release(_ lease: Lease, usable: Bool) {
        let now = self.clock.stamp
        // The fast path: kept idle, one lock, no actions built (even an empty `Actions` costs a few calls).
        let kept = self.state.withLock { machine -> Machine.Gauges? in
            usable && machine.releaseToIdle(lease, now: now) ? machine.gauges : nil
        }
        if let kept {
            // Only the idle and leased counts moved.
            self.metrics.recordIdleAndLeased(kept)
        } else {
            self.release(lease, usable: usable, now: now)
        }
    }

    /// Gives a connection back that is not simply kept idle: handed to a waiter, or closed.
    @inlinable
    func release(_ lease: Lease, usable: Bool, now: PoolClock.Instant) {
        var actions = Machine.Actions()
        let gauges = self.state.withLock { machine in
            machine.release(lease, usable: usable, now: now, actions: &actions)
            return machine.gauges
        }
        if !usable {
            self.metrics.broken.increment()
        }
        if actions.isEmpty {
            // Kept idle after all, or nothing left to do for a lease closed at shutdown.
            self.metrics.recordIdleAndLeased(gauges)
        } else {
            self.perform(actions, gauges)
        }
    }

    /// Resumes the borrowers the state machine served or failed, hands I/O to ``run()``, publishes the gauges.
    @inlinable
    func perform(_ actions: Machine.Actions, _ gauges: Machine.Gauges) {
        if let (waiter, lease) = actions.lend {
            waiter.resume(returning: lease)
        }
        for (waiter, error) in actions.failures {
            waiter.resume(throwing: error)
        }
        if actions.timeouts > 0 {
            self.metrics.timeouts.increment(by: Int64(actions.timeouts))
            self.logger.debug("Borrowers timed out waiting for a connection", metadata: ["jaan.pool.timeouts": "\(actions.timeouts)"])
        }
        for work in actions.work {
            self.mailbox.send(work)
        }
        self.metrics.record(gauges)
    }

    /// Feeds an event to the state machine at the clock's current time and carries out its actions.
    @inlinable
    func apply(_ event: (inout Machine, PoolClock.Instant) -> Machine.Actions) {
        let now = self.clock.now
        let (actions, gauges) = self.state.withLock { machine in
            (event(&machine, now), machine.gauges)
        }
        self.perform(actions, gauges)
    }
}
