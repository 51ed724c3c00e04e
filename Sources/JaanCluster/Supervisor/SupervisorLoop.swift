import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The supervisor's event loop: one thread polling the signal pipe and the workers' control channels,
/// feeding events to the state machine and performing its actions.
///
/// Every worker is spawned from this thread, which lives until the cluster has stopped, so the
/// workers' `PR_SET_PDEATHSIG` fires exactly when the supervisor dies.
final class SupervisorLoop {
    typealias Machine = SupervisorStateMachine<ContinuousClock>

    /// A running worker process.
    struct Child {
        var slot: Int
        var pid: pid_t
        var control: Int32
        var controlOpen = true
        var startedAt: Date
        var stopRequested = false
        var sample: ProcessSample?
        var sampledAt: ContinuousClock.Instant?
        var cpuPercent: Double?
    }

    private let supervisor: Supervisor
    private let configuration: Cluster.Configuration
    private let logger: Logger
    private let clock = ContinuousClock()
    private let startedAt = Date()
    private var machine: Machine
    private var children: [Int: Child] = [:]
    private var exitCode: Int32?
    private var nextSample: ContinuousClock.Instant
    private var statusChanged = true

    init(supervisor: Supervisor) {
        self.supervisor = supervisor
        self.configuration = supervisor.configuration
        self.logger = supervisor.logger
        self.nextSample = clock.now
        let configuration = supervisor.configuration
        self.machine = Machine(
            policy: .init(
                workerCount: supervisor.workerCount,
                startTimeout: configuration.startTimeout,
                shutdownTimeout: configuration.shutdownTimeout,
                initialBackoff: configuration.initialBackoff,
                maximumBackoff: configuration.maximumBackoff,
                minimumUptime: configuration.minimumUptime,
                maximumRestarts: configuration.maximumRestarts,
                restartWindow: configuration.restartWindow,
                memoryLimit: configuration.memoryLimit
            )
        )
    }

    func run() -> Int32 {
        let signals = SignalPipe()
        logger.info(
            "Cluster starting",
            metadata: ["workers": "\(supervisor.workerCount)", "port": "\(supervisor.port)", "pid": "\(getpid())"]
        )
        perform(machine.start(now: clock.now))
        while exitCode == nil {
            waitForEvents(signals: signals)
            for signal in signals.drain() {
                handle(signal: signal)
            }
            readControlChannels()
            reap()
            if clock.now >= nextSample {
                sample()
            }
            perform(machine.tick(now: clock.now))
            if statusChanged {
                writeStatus()
            }
        }
        writeStatus()
        return exitCode ?? 1
    }

    // MARK: - Waiting

    private func waitForEvents(signals: borrowing SignalPipe) {
        var entries = [pollfd(fd: signals.readEnd, events: Int16(POLLIN), revents: 0)]
        for child in children.values where child.controlOpen {
            entries.append(pollfd(fd: child.control, events: Int16(POLLIN), revents: 0))
        }
        let deadline = min(machine.nextDeadline ?? nextSample, nextSample)
        let remaining = clock.now.duration(to: deadline)
        let milliseconds =
            remaining <= .zero
            ? 0 : Int32(clamping: remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1)
        _ = poll(&entries, nfds_t(entries.count), milliseconds)
    }

    private func handle(signal: Int32) {
        switch signal {
        case SIGTERM, SIGINT:
            logger.info("Stopping workers", metadata: ["signal": "\(signal)"])
            perform(machine.shutdownRequested(now: clock.now))
        case SIGHUP:
            logger.info("Rolling reload")
            perform(machine.reloadRequested(now: clock.now))
        default:
            break  // SIGCHLD only wakes the loop; every iteration reaps.
        }
        statusChanged = true
    }

    private func readControlChannels() {
        for instance in children.keys.sorted() {
            guard var child = children[instance], child.controlOpen else { continue }
            var buffer = [UInt8](repeating: 0, count: 16)
            let count = buffer.withUnsafeMutableBytes { recv(child.control, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count > 0 {
                if buffer[0..<count].contains(UInt8(ascii: "R")) {
                    logger.info("Worker ready", metadata: [Worker.metadataKey: "\(child.slot)", "pid": "\(child.pid)"])
                    perform(machine.workerReady(instance: instance, now: clock.now))
                    statusChanged = true
                }
            } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                // The worker closed its end (it is exiting); SIGCHLD will tell.
                child.controlOpen = false
                children[instance] = child
            }
        }
    }

    private func reap() {
        for instance in children.keys.sorted() {
            guard let child = children[instance] else { continue }
            var status: Int32 = 0
            guard waitpid(child.pid, &status, WNOHANG) == child.pid else { continue }
            close(child.control)
            children[instance] = nil
            let exit = ExitStatus(rawValue: status)
            let metadata: Logger.Metadata = [Worker.metadataKey: "\(child.slot)", "pid": "\(child.pid)", "status": "\(exit)"]
            if child.stopRequested || machine.isStopping {
                logger.info("Worker stopped", metadata: metadata)
            } else {
                logger.warning("Worker exited unexpectedly", metadata: metadata)
            }
            perform(machine.workerExited(instance: instance, now: clock.now))
            statusChanged = true
        }
    }

    // MARK: - Sampling

    private func sample() {
        let now = clock.now
        nextSample = now.advanced(by: configuration.sampleInterval)
        for instance in children.keys.sorted() {
            guard var child = children[instance], let sample = ProcessSample.read(pid: child.pid) else { continue }
            if let previous = child.sample, let previousAt = child.sampledAt {
                let elapsed = previousAt.duration(to: now)
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                let cpuSeconds = Double(sample.cpuTicks - previous.cpuTicks) / Double(ProcessSample.ticksPerSecond)
                child.cpuPercent = seconds > 0 ? (cpuSeconds / seconds * 1000).rounded() / 10 : nil
            }
            child.sample = sample
            child.sampledAt = now
            children[instance] = child
            let actions = machine.memorySampled(instance: instance, residentBytes: sample.residentBytes, now: now)
            if !actions.isEmpty {
                logger.info(
                    "Worker above the memory limit; replacing it",
                    metadata: [Worker.metadataKey: "\(child.slot)", "pid": "\(child.pid)", "residentBytes": "\(sample.residentBytes)"]
                )
            }
            perform(actions)
        }
        statusChanged = true
    }

    // MARK: - Actions

    private func perform(_ actions: [Machine.Action]) {
        var pending = actions[...]
        while let action = pending.popFirst() {
            switch action {
            case .spawn(let slot, let instance, let reason):
                pending += spawn(slot: slot, instance: instance, reason: reason)
            case .terminate(let instance, let reason):
                signal(instance, SIGTERM, metadata: ["reason": "\(reason)"])
            case .kill(let instance, let reason):
                signal(instance, SIGKILL, metadata: ["reason": "\(reason)"])
            case .exit(let code, .shutdown):
                logger.info("Cluster stopped")
                exitCode = code
            case .exit(let code, .crashLoop(let slot)):
                logger.error(
                    "Worker restarted too often; cluster stopped",
                    metadata: [
                        Worker.metadataKey: "\(slot)", "maximumRestarts": "\(configuration.maximumRestarts)",
                        "restartWindow": "\(configuration.restartWindow)",
                    ]
                )
                exitCode = code
            }
            statusChanged = true
        }
    }

    private func spawn(slot: Int, instance: Int, reason: Machine.SpawnReason) -> [Machine.Action] {
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            logger.warning("Worker could not be started", metadata: [Worker.metadataKey: "\(slot)", "errno": "\(errno)"])
            return machine.spawnFailed(instance: instance, now: clock.now)
        }
        let marker = WorkerEnvironment(
            workerID: slot, workerCount: supervisor.workerCount, supervisorPID: getpid(), shutdownTimeout: configuration.shutdownTimeout)
        do {
            let pid = try ProcessSpawner.spawn(
                path: supervisor.executablePath,
                arguments: supervisor.arguments,
                environment: marker.merged(into: currentEnvironment()),
                descriptors: [(supervisor.socket(forSlot: slot).descriptor, WorkerEnvironment.listenFD), (ends[1], WorkerEnvironment.controlFD)],
                newProcessGroup: true
            )
            close(ends[1])
            children[instance] = Child(slot: slot, pid: pid, control: ends[0], startedAt: Date())
            logger.info("Worker started", metadata: [Worker.metadataKey: "\(slot)", "pid": "\(pid)", "reason": "\(reason)"])
            return []
        } catch {
            close(ends[0])
            close(ends[1])
            logger.warning("Worker could not be started", metadata: [Worker.metadataKey: "\(slot)", "error": "\(error)"])
            return machine.spawnFailed(instance: instance, now: clock.now)
        }
    }

    private func signal(_ instance: Int, _ signal: Int32, metadata: Logger.Metadata) {
        guard var child = children[instance] else { return }
        child.stopRequested = true
        children[instance] = child
        var metadata = metadata
        metadata[Worker.metadataKey] = "\(child.slot)"
        metadata["pid"] = "\(child.pid)"
        logger.info(signal == SIGKILL ? "Killing worker" : "Stopping worker", metadata: metadata)
        kill(child.pid, signal)
    }

    // MARK: - Status

    private func writeStatus() {
        statusChanged = false
        guard let path = configuration.statusFile else { return }
        do {
            try status().write(to: path)
        } catch {
            logger.debug("Status file not written", metadata: ["error": "\(error)"])
        }
    }

    private func status() -> ClusterStatus {
        var workers: [WorkerStatus] = []
        for (instance, record) in machine.instances.sorted(by: { ($0.value.slot, $0.key) < ($1.value.slot, $1.key) }) {
            let child = children[instance]
            let state: WorkerState =
                switch record.state {
                case .starting: .launching
                case .ready: .online
                case .stopping: .stopping
                }
            workers.append(
                WorkerStatus(
                    id: record.slot, pid: child?.pid, state: state, startedAt: child?.startedAt,
                    restarts: machine.slots[record.slot].restarts, residentBytes: child?.sample?.residentBytes,
                    cpuPercent: child?.cpuPercent
                )
            )
        }
        for (slot, record) in machine.slots.enumerated() where record.current == nil && record.replacement == nil && exitCode == nil {
            workers.append(
                WorkerStatus(
                    id: slot, pid: nil, state: .waitingRestart, startedAt: nil, restarts: record.restarts, residentBytes: nil, cpuPercent: nil
                )
            )
        }
        workers.sort { $0.id < $1.id }
        let phase = exitCode != nil ? "stopped" : machine.isStopping ? "stopping" : machine.isReloading ? "reloading" : "running"
        return ClusterStatus(
            supervisorPID: getpid(), host: configuration.host, port: supervisor.port, phase: phase, startedAt: startedAt,
            updatedAt: Date(), workers: workers
        )
    }
}
