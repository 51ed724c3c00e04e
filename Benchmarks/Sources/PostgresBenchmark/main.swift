import Foundation
import JaanPostgresServer

// PostgresBenchmark: JaanPool + JaanPostgres against pgbench (libpq's C client) and PostgresNIO,
// side by side in one run on one throwaway server with a pgbench database at scale 10.
//
//   swift run -c release PostgresBenchmark [rounds] [seconds]
//   swift run -c release PostgresBenchmark profile <jaan|nio|pgbench> <select-only|100-row> <clients> <seconds>
//
// The profile form runs one client alone, after printing its process id, for `perf record -p`.

let arguments = CommandLine.arguments
let profiling = arguments.count > 1 && arguments[1] == "profile"
let rounds = profiling ? 1 : arguments.count > 1 ? Int(arguments[1]) ?? 3 : 3
let seconds = profiling ? 0 : arguments.count > 2 ? Int(arguments[2]) ?? 5 : 5

var serverConfiguration = LocalPostgresServer.Configuration()
serverConfiguration.settings = ["max_connections": "200", "fsync": "off", "synchronous_commit": "off"]
let server = try await LocalPostgresServer.create(configuration: serverConfiguration)
try await server.start()
printNow("server on port \(server.port); initialising pgbench scale 10")
try PGBench.initialize(port: server.port, scale: 10)
let url = server.connectionString()

func printNow(_ line: String) {
    print(line)
    fflush(nil)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func format(_ value: Double) -> String { String(format: "%.0f", value) }

if profiling {
    let client = arguments.count > 2 ? arguments[2] : "jaan"
    let workload = arguments.count > 3 ? Workload(rawValue: arguments[3]) ?? .selectOnly : .selectOnly
    let clients = arguments.count > 4 ? Int(arguments[4]) ?? 10 : 10
    let duration = arguments.count > 5 ? Int(arguments[5]) ?? 10 : 10
    printNow("pid \(getpid()): profiling \(client) \(workload.rawValue), \(clients) clients, \(duration) s")
    do {
        switch client {
        case "nio":
            let result = try await NIORunner.run(workload, port: server.port, clients: clients, seconds: Double(duration))
            printNow("\(format(result.operationsPerSecond)) q/s, \(format(result.cpuMicrosecondsPerOperation)) µs CPU/q")
        case "pgbench":
            printNow("\(format(try PGBench.run(port: server.port, clients: clients, seconds: duration))) tps")
        default:
            let result = try await JaanRunner.run(
                workload, url: url, clients: clients, seconds: Double(duration), onReactor: client == "jaan-reactor")
            printNow("\(format(result.operationsPerSecond)) q/s, \(format(result.cpuMicrosecondsPerOperation)) µs CPU/q")
        }
    } catch {
        printNow("profile failed: \(error)")
    }
    try await server.stop()
    try server.removeFiles()
    exit(0)
}

/// One client's figures over the rounds of one workload.
struct Series {
    var name: String
    var rates: [Double] = []
    var cpu: [Double] = []
}

/// The clients of a select-only comparison, in the order they run in each round.
enum Contender: CaseIterable {
    case jaan
    case jaanOnExecutor
    case jaanPipelined
    case nio
    case pgbench

    var name: String {
        switch self {
        case .jaan: "JaanPostgres (tasks on the global pool)"
        case .jaanOnExecutor: "JaanPostgres (tasks prefer client.taskExecutor)"
        case .jaanPipelined: "JaanPostgres pipeline(_:) of 10, on taskExecutor"
        case .nio: "PostgresNIO"
        case .pgbench: "pgbench -S -M prepared (libpq, C)"
        }
    }

    func run(_ workload: Workload, clients: Int) async throws -> Measurement {
        switch self {
        case .jaan: try await JaanRunner.run(workload, url: url, clients: clients, seconds: Double(seconds))
        case .jaanOnExecutor: try await JaanRunner.run(workload, url: url, clients: clients, seconds: Double(seconds), onReactor: true)
        case .jaanPipelined:
            try await JaanRunner.run(workload, url: url, clients: clients, seconds: Double(seconds), onReactor: true, pipelineDepth: 10)
        case .nio: try await NIORunner.run(workload, port: server.port, clients: clients, seconds: Double(seconds))
        case .pgbench:
            Measurement(
                operationsPerSecond: try PGBench.run(port: server.port, clients: clients, seconds: seconds), cpuMicrosecondsPerOperation: .nan)
        }
    }
}

var report: [String] = []
@MainActor func addRows(_ title: String, _ series: [Series]) {
    let nio = series.first { $0.name == Contender.nio.name }.map { median($0.rates) }
    let pgbench = series.first { $0.name == Contender.pgbench.name }.map { median($0.rates) }
    for entry in series {
        let rate = median(entry.rates)
        let cpu = entry.cpu.allSatisfy(\.isNaN) ? "n/a" : format(median(entry.cpu))
        let versusNIO = nio.map { String(format: "%.2fx", rate / $0) } ?? "n/a"
        let versusPGBench = pgbench.map { String(format: "%.2fx", rate / $0) } ?? "n/a"
        report.append("| \(title) | \(entry.name) | \(format(rate)) | \(cpu) | \(versusNIO) | \(versusPGBench) |")
    }
}

do {
    for clients in [10, 50] {
        var series = Contender.allCases.map { Series(name: $0.name) }
        for round in 1...rounds {
            var line = "select-only c=\(clients) round \(round):"
            for (index, contender) in Contender.allCases.enumerated() {
                let result = try await contender.run(.selectOnly, clients: clients)
                series[index].rates.append(result.operationsPerSecond)
                series[index].cpu.append(result.cpuMicrosecondsPerOperation)
                line += " \(contender) \(format(result.operationsPerSecond))"
                if !result.cpuMicrosecondsPerOperation.isNaN { line += " (\(format(result.cpuMicrosecondsPerOperation)) µs)" }
            }
            printNow(line)
        }
        addRows("select-only, \(clients) clients", series)
    }
    let contenders: [Contender] = [.jaan, .jaanOnExecutor, .nio]
    var series = contenders.map { Series(name: $0.name) }
    for round in 1...rounds {
        var line = "100-row decode c=10 round \(round):"
        for (index, contender) in contenders.enumerated() {
            let result = try await contender.run(.hundredRows, clients: 10)
            series[index].rates.append(result.operationsPerSecond)
            series[index].cpu.append(result.cpuMicrosecondsPerOperation)
            line += " \(contender) \(format(result.operationsPerSecond)) (\(format(result.cpuMicrosecondsPerOperation)) µs)"
        }
        printNow(line)
    }
    addRows("100-row decode into structs, 10 clients", series)
} catch {
    printNow("benchmark failed: \(error)")
}
try await server.stop()
try server.removeFiles()
print("| workload | client | queries/s | client CPU µs/query | vs PostgresNIO | vs pgbench |")
print("|---|---|---|---|---|---|")
for line in report { print(line) }
