import CoreMetrics
import Logging
import Synchronization

extension ConnectionPool {
    /// Takes a connection: an idle one at once, or after waiting in line; validated if it sat idle too long.
    func acquire(isolation: isolated (any Actor)?) async throws -> Lease {
        while true {
            let start = self.clock.now
            let (decision, actions, statistics) = self.state.withLock { machine in
                let (decision, actions) = machine.lease(now: start)
                return (decision, actions, machine.statistics)
            }
            self.perform(actions, statistics)
            let lease: Lease
            switch decision {
            case .lend(let immediate):
                self.metrics.acquireDuration.recordNanoseconds(0)
                lease = immediate
            case .wait(let ticket):
                lease = try await self.wait(ticket: ticket, since: start, isolation: isolation)
                self.metrics.acquireDuration.recordNanoseconds(start.duration(to: self.clock.now).nanoseconds)
            case .fail(let error):
                throw error
            case .enqueued:
                preconditionFailure("a new borrower is never enqueued without a waiter")
            }
            if lease.needsValidation, await !self.source.validate(lease.connection) {
                self.logger.debug("Idle connection failed validation", metadata: ["jaan.pool.connection": "\(lease.connectionID)"])
                self.release(lease, usable: false)
                continue
            }
            return lease
        }
    }

    /// Waits in line for a connection; leaves the line at once when the task is cancelled.
    func wait(ticket: Int, since: ErasedClock.Instant, isolation: isolated (any Actor)?) async throws -> Lease {
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: Waiter) in
                let outcome = self.state.withLock { machine -> (Machine.Decision, Machine.Actions, Statistics)? in
                    // Checked under the lock: a cancellation that ran before this point found nothing to remove.
                    guard !Task.isCancelled else { return nil }
                    let (decision, actions) = machine.enqueue(ticket: ticket, waiter: continuation, now: since)
                    return (decision, actions, machine.statistics)
                }
                guard let (decision, actions, statistics) = outcome else {
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
                self.perform(actions, statistics)
            }
        } onCancel: {
            let (waiter, statistics) = self.state.withLock { machine in
                (machine.cancelWaiter(ticket: ticket), machine.statistics)
            }
            if let waiter {
                waiter.resume(throwing: CancellationError())
                self.metrics.record(statistics)
            }
        }
    }

    /// Gives a connection back; `usable: false` closes and replaces it.
    func release(_ lease: Lease, usable: Bool) {
        let now = self.clock.now
        let (actions, statistics) = self.state.withLock { machine in
            (machine.release(lease, usable: usable, now: now), machine.statistics)
        }
        if !usable {
            self.metrics.broken.increment()
        }
        self.perform(actions, statistics)
    }

    /// Resumes the borrowers the state machine served or failed, hands I/O to ``run()``, publishes the gauges.
    func perform(_ actions: Machine.Actions, _ statistics: Statistics) {
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
        self.metrics.record(statistics)
    }

    /// Feeds an event to the state machine at the clock's current time and carries out its actions.
    func apply(_ event: (inout Machine, ErasedClock.Instant) -> Machine.Actions) {
        let now = self.clock.now
        let (actions, statistics) = self.state.withLock { machine in
            (event(&machine, now), machine.statistics)
        }
        self.perform(actions, statistics)
    }
}

extension Duration {
    /// The duration in whole nanoseconds, clamped to `Int64`.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = self.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        return scaled.addingReportingOverflow(attoseconds / 1_000_000_000).overflow ? .max : scaled + attoseconds / 1_000_000_000
    }
}
