import CoreMetrics
import Logging
import ServiceLifecycle

extension ConnectionPool {
    /// Runs the pool's background work: opening and closing connections and firing its timers.
    ///
    /// Call it once, as a swift-service-lifecycle service or in a task group beside the code that borrows.
    /// On graceful shutdown it stops lending (waiters fail with ``PoolError/Code/shutdown``), closes the idle
    /// connections, waits up to ``ConnectionPoolConfiguration/shutdownTimeout`` for leased ones to come back,
    /// closes those still out, and returns. On task cancellation it does the same without waiting for leases.
    public func run() async throws {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await self.runLoop()
            } onGracefulShutdown: {
                self.beginShutdown(timeout: self.configuration.shutdownTimeout)
            }
        } onCancel: {
            self.beginShutdown(timeout: .zero)
        }
    }

    func runLoop() async {
        self.logger.debug("Connection pool started")
        self.apply { machine, now in machine.start(now: now) }
        await withDiscardingTaskGroup { group in
            while let work = await self.mailbox.next() {
                switch work {
                case .open(let slot, let connectionID):
                    group.addTask { await self.openConnection(slot: slot, connectionID: connectionID) }
                case .close(let slot, let connectionID, let connection, let reason):
                    group.addTask {
                        self.logger.debug(
                            "Closing connection",
                            metadata: ["jaan.pool.connection": "\(connectionID)", "jaan.pool.reason": "\(reason)"]
                        )
                        await connection.close()
                        self.apply { machine, now in machine.connectionClosed(slot: slot, connectionID: connectionID, now: now) }
                    }
                case .schedule(let deadline):
                    group.addTask {
                        do {
                            try await self.clock.sleep(until: deadline, tolerance: nil)
                        } catch {
                            return  // cancelled: the pool is stopping
                        }
                        self.apply { machine, now in machine.timerFired(deadline: deadline, now: now) }
                    }
                case .leakWarning(let connectionID, let heldFor):
                    // A warning, not info: the issue asks for leaks to stand out in the log, as HikariCP does.
                    self.logger.warning(
                        "Connection held longer than the leak warning threshold",
                        metadata: ["jaan.pool.connection": "\(connectionID)", "jaan.pool.held_for": "\(heldFor)"]
                    )
                case .shutdownComplete:
                    self.mailbox.finish()
                }
            }
            group.cancelAll()
        }
        self.logger.debug("Connection pool stopped")
    }

    func openConnection(slot: Int, connectionID: Int) async {
        do {
            let connection = try await self.source.makeConnection()
            let jitter = self.randomLifetimeJitter()
            self.logger.debug("Connection opened", metadata: ["jaan.pool.connection": "\(connectionID)"])
            self.apply { machine, now in
                machine.connectionOpened(slot: slot, connectionID: connectionID, connection: connection, now: now, jitter: jitter)
            }
        } catch {
            self.metrics.openFailures.increment()
            self.logger.info("Connection attempt failed", metadata: ["jaan.pool.error": "\(String(reflecting: error))"])
            self.apply { machine, now in machine.connectFailed(slot: slot, connectionID: connectionID, error: error, now: now) }
        }
    }

    func beginShutdown(timeout: Duration) {
        self.logger.debug("Connection pool shutting down", metadata: ["jaan.pool.timeout": "\(timeout)"])
        self.apply { machine, now in machine.shutdown(now: now, timeout: timeout) }
    }

    /// A random share of ``ConnectionPoolConfiguration/maximumLifetimeJitter``, drawn per connection.
    func randomLifetimeJitter() -> Duration {
        let nanoseconds = self.configuration.maximumLifetimeJitter.nanoseconds
        guard nanoseconds > 0 else { return .zero }
        return .nanoseconds(Int64.random(in: 0...nanoseconds))
    }
}
