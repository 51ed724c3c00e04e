/// The supervisor's policy (start, restart with back-off, crash-loop limit, memory replacement,
/// rolling reload, graceful stop) as a value type without I/O.
///
/// Every event method takes the current instant and returns the actions the caller must perform.
/// Worker processes are named by an `instance` number the machine hands out; the caller maps
/// instances to process ids.
struct SupervisorStateMachine<C: Clock> where C.Instant.Duration == Duration {
    /// The knobs of the policy.
    struct Policy: Sendable {
        var workerCount: Int
        var startTimeout: Duration
        var shutdownTimeout: Duration
        var initialBackoff: Duration
        var maximumBackoff: Duration
        var minimumUptime: Duration
        var maximumRestarts: Int
        var restartWindow: Duration
        var memoryLimit: Int?
    }

    /// Why a worker process is started.
    enum SpawnReason: Equatable, Sendable {
        case initial, restart, memory, reload
    }

    /// Why a worker process is asked to stop.
    enum StopReason: Equatable, Sendable {
        case memory, reload, shutdown
    }

    /// Why a worker process is killed outright.
    enum KillReason: Equatable, Sendable {
        case startTimeout, shutdownTimeout
    }

    /// Why the supervisor ends.
    enum ExitReason: Equatable, Sendable {
        case shutdown
        case crashLoop(slot: Int)
    }

    /// What the caller must do.
    enum Action: Equatable, Sendable {
        /// Start a worker process for `slot` and report it as `instance`.
        case spawn(slot: Int, instance: Int, reason: SpawnReason)
        /// Ask the process to stop gracefully (SIGTERM).
        case terminate(instance: Int, reason: StopReason)
        /// Kill the process (SIGKILL).
        case kill(instance: Int, reason: KillReason)
        /// Every process is gone: end the supervisor with this exit code.
        case exit(code: Int32, reason: ExitReason)
    }

    /// The life stage of one worker process.
    enum InstanceState: Equatable {
        /// Started, not ready yet; killed when `deadline` passes.
        case starting(deadline: C.Instant)
        /// Accepting since `since`.
        case ready(since: C.Instant)
        /// Asked to stop; killed when `deadline` passes (`nil` once killed or when the shutdown deadline governs).
        case stopping(deadline: C.Instant?)
    }

    /// One worker process.
    struct Instance: Equatable {
        var slot: Int
        var state: InstanceState
        var startedAt: C.Instant
    }

    /// One worker id (`0..<workerCount`) and the processes serving it.
    struct Slot: Equatable {
        /// The process serving this id.
        var current: Int?
        /// A process starting to replace `current` (memory limit or reload).
        var replacement: Int?
        /// Why `current` is being replaced, until its replacement is ready.
        var replacementReason: StopReason?
        /// When the next process for this id starts, after a back-off.
        var restartAt: C.Instant?
        /// The delay before the next restart of a worker that did not stay up.
        var backoff: Duration
        /// How many processes were started for this id after the first.
        var restarts = 0
        /// When recent failures happened, within the restart window.
        var recentFailures: [C.Instant] = []
    }

    private enum Phase: Equatable {
        case idle
        case running
        case stopping(deadline: C.Instant, code: Int32, reason: ExitReason, killed: Bool)
        case exited
    }

    let policy: Policy
    private(set) var slots: [Slot]
    private(set) var instances: [Int: Instance] = [:]
    private var phase: Phase = .idle
    private var reloadQueue: [Int] = []
    private var nextInstance = 0

    init(policy: Policy) {
        self.policy = policy
        self.slots = Array(repeating: Slot(backoff: policy.initialBackoff), count: policy.workerCount)
    }

    /// Whether the supervisor is stopping every worker.
    var isStopping: Bool {
        if case .stopping = phase { return true }
        return false
    }

    /// Whether a rolling reload is in progress.
    var isReloading: Bool {
        !reloadQueue.isEmpty || slots.contains { $0.replacement != nil }
    }

    /// The earliest instant at which `tick` has something to do.
    var nextDeadline: C.Instant? {
        var deadlines: [C.Instant] = []
        if case .stopping(let deadline, _, _, let killed) = phase, !killed { deadlines.append(deadline) }
        for instance in instances.values {
            switch instance.state {
            case .starting(let deadline): deadlines.append(deadline)
            case .stopping(let deadline?): deadlines.append(deadline)
            case .ready, .stopping(nil): break
            }
        }
        deadlines.append(contentsOf: slots.compactMap(\.restartAt))
        return deadlines.min()
    }

    // MARK: - Events

    /// Starts every worker.
    mutating func start(now: C.Instant) -> [Action] {
        guard phase == .idle else { return [] }
        phase = .running
        return slots.indices.map { spawn(slot: $0, asReplacement: false, reason: .initial, now: now) }
    }

    /// The process of `instance` could not be started.
    mutating func spawnFailed(instance: Int, now: C.Instant) -> [Action] {
        workerExited(instance: instance, now: now)
    }

    /// The process of `instance` reported that it accepts connections.
    mutating func workerReady(instance id: Int, now: C.Instant) -> [Action] {
        guard var instance = instances[id], case .starting = instance.state else { return [] }
        instance.state = .ready(since: now)
        instances[id] = instance
        guard phase == .running else { return [] }
        var actions: [Action] = []
        let slot = instance.slot
        if slots[slot].replacement == id {
            let old = slots[slot].current
            let reason = slots[slot].replacementReason ?? .reload
            slots[slot].current = id
            slots[slot].replacement = nil
            slots[slot].replacementReason = nil
            if let old, retire(old, now: now) {
                actions.append(.terminate(instance: old, reason: reason))
            }
        }
        actions += advanceReload(now: now)
        return actions
    }

    /// The process of `instance` has exited (or was never started).
    mutating func workerExited(instance id: Int, now: C.Instant) -> [Action] {
        guard let instance = instances.removeValue(forKey: id) else { return [] }
        if case .stopping(_, let code, let reason, _) = phase {
            if instances.isEmpty {
                phase = .exited
                return [.exit(code: code, reason: reason)]
            }
            return []
        }
        guard phase == .running else { return [] }
        let slot = instance.slot
        if slots[slot].current == id {
            slots[slot].current = nil
            if let replacement = slots[slot].replacement {
                // Its replacement is already starting: it takes over.
                slots[slot].current = replacement
                slots[slot].replacement = nil
                slots[slot].replacementReason = nil
                return advanceReload(now: now)
            }
            return failed(instance, now: now)
        }
        if slots[slot].replacement == id {
            slots[slot].replacement = nil
            return failed(instance, now: now)
        }
        // A retired process finished stopping.
        return advanceReload(now: now)
    }

    /// The resident memory of `instance` was measured.
    mutating func memorySampled(instance id: Int, residentBytes: Int, now: C.Instant) -> [Action] {
        guard phase == .running, let limit = policy.memoryLimit, residentBytes > limit,
            let instance = instances[id], case .ready = instance.state
        else { return [] }
        let slot = instance.slot
        guard slots[slot].current == id, slots[slot].replacement == nil, slots[slot].restartAt == nil else { return [] }
        reloadQueue.removeAll { $0 == slot }
        slots[slot].replacementReason = .memory
        return [spawn(slot: slot, asReplacement: true, reason: .memory, now: now)]
    }

    /// A rolling reload was requested (SIGHUP): replace every worker, one at a time.
    mutating func reloadRequested(now: C.Instant) -> [Action] {
        guard phase == .running else { return [] }
        reloadQueue = Array(slots.indices)
        return advanceReload(now: now)
    }

    /// A graceful stop was requested (SIGTERM or SIGINT).
    mutating func shutdownRequested(now: C.Instant) -> [Action] {
        beginShutdown(code: 0, reason: .shutdown, now: now)
    }

    /// Time passed: fires start timeouts, kill deadlines and delayed restarts.
    mutating func tick(now: C.Instant) -> [Action] {
        var actions: [Action] = []
        if case .stopping(let deadline, let code, let reason, false) = phase {
            if deadline <= now {
                phase = .stopping(deadline: deadline, code: code, reason: reason, killed: true)
                for id in instances.keys.sorted() {
                    actions.append(.kill(instance: id, reason: .shutdownTimeout))
                }
            }
            return actions
        }
        guard phase == .running else { return [] }
        for id in instances.keys.sorted() {
            switch instances[id]!.state {
            case .starting(let deadline) where deadline <= now:
                instances[id]!.state = .stopping(deadline: nil)
                actions.append(.kill(instance: id, reason: .startTimeout))
            case .stopping(let deadline?) where deadline <= now:
                instances[id]!.state = .stopping(deadline: nil)
                actions.append(.kill(instance: id, reason: .shutdownTimeout))
            default:
                break
            }
        }
        for slot in slots.indices {
            guard let restartAt = slots[slot].restartAt, restartAt <= now else { continue }
            slots[slot].restartAt = nil
            actions.append(respawn(slot: slot, now: now))
        }
        return actions
    }

    // MARK: - Helpers

    private mutating func spawn(slot: Int, asReplacement: Bool, reason: SpawnReason, now: C.Instant) -> Action {
        let id = nextInstance
        nextInstance += 1
        instances[id] = Instance(slot: slot, state: .starting(deadline: now.advanced(by: policy.startTimeout)), startedAt: now)
        if asReplacement {
            slots[slot].replacement = id
        } else {
            slots[slot].current = id
        }
        if reason != .initial {
            slots[slot].restarts += 1
        }
        return .spawn(slot: slot, instance: id, reason: reason)
    }

    /// Starts the next process of `slot` after a failure: its replacement if it still has a serving process.
    private mutating func respawn(slot: Int, now: C.Instant) -> Action {
        if slots[slot].current != nil {
            let reason: SpawnReason = slots[slot].replacementReason == .memory ? .memory : .reload
            return spawn(slot: slot, asReplacement: true, reason: reason, now: now)
        }
        slots[slot].replacementReason = nil
        return spawn(slot: slot, asReplacement: false, reason: .restart, now: now)
    }

    /// Moves a replaced process out of its slot and gives it the shutdown timeout to stop.
    /// Returns whether it must be told to stop (it is not stopping already).
    private mutating func retire(_ id: Int, now: C.Instant) -> Bool {
        guard var instance = instances[id] else { return false }
        if case .stopping = instance.state { return false }
        instance.state = .stopping(deadline: now.advanced(by: policy.shutdownTimeout))
        instances[id] = instance
        return true
    }

    /// A worker died or failed to start: restart it after its back-off, or give up on a crash loop.
    private mutating func failed(_ instance: Instance, now: C.Instant) -> [Action] {
        let slot = instance.slot
        let windowStart = now.advanced(by: .zero - policy.restartWindow)
        slots[slot].recentFailures.removeAll { $0 < windowStart }
        slots[slot].recentFailures.append(now)
        if slots[slot].recentFailures.count > policy.maximumRestarts {
            return beginShutdown(code: 1, reason: .crashLoop(slot: slot), now: now)
        }
        var delay = slots[slot].backoff
        if case .ready(let since) = instance.state, since.duration(to: now) >= policy.minimumUptime {
            delay = .zero
            slots[slot].backoff = policy.initialBackoff
        } else {
            slots[slot].backoff = min(slots[slot].backoff * 2, policy.maximumBackoff)
        }
        var actions: [Action] = []
        if delay == .zero {
            slots[slot].restartAt = nil
            actions.append(respawn(slot: slot, now: now))
        } else {
            let restartAt = now.advanced(by: delay)
            slots[slot].restartAt = min(slots[slot].restartAt ?? restartAt, restartAt)
        }
        return actions + advanceReload(now: now)
    }

    /// Starts the next replacement of a rolling reload once no other replacement is starting.
    private mutating func advanceReload(now: C.Instant) -> [Action] {
        guard phase == .running, !slots.contains(where: { $0.replacement != nil || $0.replacementReason != nil }) else { return [] }
        while !reloadQueue.isEmpty {
            let slot = reloadQueue.removeFirst()
            guard let current = slots[slot].current, case .ready = instances[current]?.state, slots[slot].restartAt == nil
            else {
                // Not serving now: its next process starts from the new binary anyway.
                continue
            }
            slots[slot].replacementReason = .reload
            return [spawn(slot: slot, asReplacement: true, reason: .reload, now: now)]
        }
        return []
    }

    private mutating func beginShutdown(code: Int32, reason: ExitReason, now: C.Instant) -> [Action] {
        guard phase == .running || phase == .idle else { return [] }
        reloadQueue = []
        for slot in slots.indices {
            slots[slot].restartAt = nil
            slots[slot].replacementReason = nil
        }
        if instances.isEmpty {
            phase = .exited
            return [.exit(code: code, reason: reason)]
        }
        phase = .stopping(deadline: now.advanced(by: policy.shutdownTimeout), code: code, reason: reason, killed: false)
        var actions: [Action] = []
        for id in instances.keys.sorted() {
            if case .stopping = instances[id]!.state {
                instances[id]!.state = .stopping(deadline: nil)
                continue
            }
            instances[id]!.state = .stopping(deadline: nil)
            actions.append(.terminate(instance: id, reason: .shutdown))
        }
        return actions
    }
}
