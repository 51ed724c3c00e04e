import Foundation
import JaanPool
import Logging

// The cost of one `withConnection` lease in JaanPool against a Mutex-guarded array of the same connections
// (the floor), measured side by side in the same run: uncontended (one task), and with 1,000 concurrent tasks
// over 50 connections, with an empty body and with a body that suspends once while holding the connection
// (so the 50 connections really run out and borrowers queue). Medians of several rounds, of the process's CPU
// time per lease (the machine is shared: wall-clock time counts whatever else runs, CPU time only this process),
// with wall-clock time beside it.
//
// Run: cd Benchmarks && swift run -c release PoolBenchmark [rounds]

let connections = 50
let tasks = 1_000
let uncontendedLeases = 200_000
let contendedLeasesPerTask = 100
let rounds = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 21

enum Body: String {
    case empty = "empty body"
    case yielding = "body suspends once"
}

/// The CPU time this process has used, in nanoseconds.
func processCPUTime() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) * 1e9 + Double(time.tv_nsec)
}

/// A round's cost per lease, in nanoseconds.
struct Cost {
    var cpu: Double
    var wall: Double
}

/// The cost per lease of `leasesPerTask` leases in each of `taskCount` tasks.
func measure(
    taskCount: Int,
    leasesPerTask: Int,
    body: Body,
    lease: @escaping @Sendable (Body) async throws -> Void
) async throws -> Cost {
    let start = ContinuousClock.now
    let startCPU = processCPUTime()
    try await withThrowingDiscardingTaskGroup { group in
        for _ in 0..<taskCount {
            group.addTask {
                for _ in 0..<leasesPerTask {
                    try await lease(body)
                }
            }
        }
    }
    let cpu = processCPUTime() - startCPU
    let elapsed = start.duration(to: ContinuousClock.now)
    let (seconds, attoseconds) = elapsed.components
    let wall = Double(seconds) * 1e9 + Double(attoseconds) / 1e9
    let leases = Double(taskCount * leasesPerTask)
    return Cost(cpu: cpu / leases, wall: wall / leases)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

struct Scenario {
    let name: String
    let taskCount: Int
    let leasesPerTask: Int
    let body: Body
    /// Whether JaanPool publishes its metrics to a real (atomic, in-memory) backend rather than the no-op one.
    var metrics = false
}

let allScenarios = [
    Scenario(name: "uncontended (1 task)", taskCount: 1, leasesPerTask: uncontendedLeases, body: .empty),
    Scenario(name: "1,000 tasks / 50 connections", taskCount: tasks, leasesPerTask: contendedLeasesPerTask, body: .empty),
    Scenario(name: "1,000 tasks / 50 connections", taskCount: tasks, leasesPerTask: contendedLeasesPerTask, body: .yielding),
    Scenario(name: "uncontended (1 task), metrics on", taskCount: 1, leasesPerTask: uncontendedLeases, body: .empty, metrics: true),
]
// An optional second argument picks one scenario by index (0, 1, 2, 3), for profiling.
let scenarios = CommandLine.arguments.dropFirst(2).first.flatMap(Int.init).map { [allScenarios[$0]] } ?? allScenarios

var configuration = ConnectionPoolConfiguration()
configuration.maximumConnections = connections
configuration.minimumConnections = connections
configuration.maximumWaiters = tasks
configuration.acquireTimeout = .seconds(600)
let pool = ConnectionPool(
    source: BenchmarkSource(),
    configuration: configuration,
    logger: Logger(label: "pool-benchmark", factory: { _ in SwiftLogNoOpLogHandler() })
)
// The same pool publishing its metrics to a backend that does the least a real one does (atomic stores).
let meteredPool = ConnectionPool(
    source: BenchmarkSource(),
    configuration: configuration,
    metricsFactory: AtomicMetricsFactory(),
    logger: Logger(label: "pool-benchmark", factory: { _ in SwiftLogNoOpLogHandler() })
)
let floor = FloorPool(connections: (0..<connections).map { BenchmarkConnection(id: -$0) })

@Sendable func poolLease(_ body: Body) async throws {
    try await pool.withConnection { _ in
        if body == .yielding { await Task.yield() }
    }
}

@Sendable func meteredPoolLease(_ body: Body) async throws {
    try await meteredPool.withConnection { _ in
        if body == .yielding { await Task.yield() }
    }
}

@Sendable func floorLease(_ body: Body) async throws {
    await floor.withConnection { _ in
        if body == .yielding { await Task.yield() }
    }
}

try await withThrowingDiscardingTaskGroup { group in
    group.addTask { try await pool.run() }
    group.addTask { try await meteredPool.run() }
    // Warm up: the minimum connections open, code paths fault in.
    while pool.statistics.idle < connections || meteredPool.statistics.idle < connections {
        await Task.yield()
    }
    for scenario in scenarios {
        let poolLease = scenario.metrics ? meteredPoolLease : poolLease
        _ = try await measure(taskCount: scenario.taskCount, leasesPerTask: 1_000, body: scenario.body, lease: poolLease)
        _ = try await measure(taskCount: scenario.taskCount, leasesPerTask: 1_000, body: scenario.body, lease: floorLease)
    }

    var poolResults: [[Cost]] = Array(repeating: [], count: scenarios.count)
    var floorResults: [[Cost]] = Array(repeating: [], count: scenarios.count)
    for round in 1...rounds {
        for (index, scenario) in scenarios.enumerated() {
            let poolLease = scenario.metrics ? meteredPoolLease : poolLease
            let run = { (lease: @escaping @Sendable (Body) async throws -> Void) in
                try await measure(
                    taskCount: scenario.taskCount, leasesPerTask: scenario.leasesPerTask, body: scenario.body, lease: lease)
            }
            // Alternate which goes first, so drift on the shared machine hits both alike.
            if round % 2 == 0 {
                floorResults[index].append(try await run(floorLease))
                poolResults[index].append(try await run(poolLease))
            } else {
                poolResults[index].append(try await run(poolLease))
                floorResults[index].append(try await run(floorLease))
            }
        }
        print("round \(round)/\(rounds) done")
    }

    for statistics in [pool.statistics, meteredPool.statistics] {
        precondition(statistics.leased == 0 && statistics.waiters == 0 && statistics.timeouts == 0, "pool left work behind: \(statistics)")
    }

    print("")
    // Ratios are medians of each round's ratio: the two pools of a round run back to back, so a round's ratio
    // is the least touched by the load of the shared machine drifting.
    func ratio(_ pool: [Cost], _ floor: [Cost], _ figure: KeyPath<Cost, Double>) -> Double {
        median(zip(pool, floor).map { $0[keyPath: figure] / $1[keyPath: figure] })
    }
    print("| scenario | body | JaanPool CPU ns/lease | floor CPU ns/lease | JaanPool / floor (CPU) | JaanPool / floor (wall) |")
    print("|---|---|---:|---:|---:|---:|")
    var poolMedians: [Double] = []
    for (index, scenario) in scenarios.enumerated() {
        let poolCPU = median(poolResults[index].map(\.cpu))
        let floorCPU = median(floorResults[index].map(\.cpu))
        poolMedians.append(poolCPU)
        print(
            "| \(scenario.name) | \(scenario.body.rawValue) | \(String(format: "%.0f", poolCPU)) | "
                + "\(String(format: "%.0f", floorCPU)) | \(String(format: "%.2f", ratio(poolResults[index], floorResults[index], \.cpu)))x | "
                + "\(String(format: "%.2f", ratio(poolResults[index], floorResults[index], \.wall)))x |"
        )
    }
    print("")
    if scenarios.count == allScenarios.count {
        print(
            "JaanPool throughput with 1,000 tasks (empty body) relative to uncontended, by CPU time: "
                + "\(String(format: "%.2f", poolMedians[0] / poolMedians[1])) (target: at least 0.5)"
        )
    }
    print("rounds: \(rounds); leases per round: \(uncontendedLeases) uncontended, \(tasks * contendedLeasesPerTask) contended")
    group.cancelAll()
}
