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

var report: [String] = []
do {
    for clients in [10, 50] {
        var jaan: [Double] = []
        var nio: [Double] = []
        var pgbench: [Double] = []
        var jaanCPU: [Double] = []
        var nioCPU: [Double] = []
        for round in 1...rounds {
            let j = try await JaanRunner.run(.selectOnly, url: url, clients: clients, seconds: Double(seconds))
            let n = try await NIORunner.run(.selectOnly, port: server.port, clients: clients, seconds: Double(seconds))
            let p = try PGBench.run(port: server.port, clients: clients, seconds: seconds)
            jaan.append(j.operationsPerSecond)
            nio.append(n.operationsPerSecond)
            pgbench.append(p)
            jaanCPU.append(j.cpuMicrosecondsPerOperation)
            nioCPU.append(n.cpuMicrosecondsPerOperation)
            printNow(
                "select-only c=\(clients) round \(round): jaan \(format(j.operationsPerSecond)) q/s (\(format(j.cpuMicrosecondsPerOperation)) µs CPU/q), "
                    + "postgres-nio \(format(n.operationsPerSecond)) q/s (\(format(n.cpuMicrosecondsPerOperation)) µs CPU/q), pgbench \(format(p)) tps"
            )
        }
        let line =
            "| select-only, \(clients) clients | \(format(median(jaan))) | \(format(median(nio))) | \(format(median(pgbench))) | "
            + String(
                format: "%.2fx | %.2fx | %.0f / %.0f |", median(jaan) / median(nio), median(jaan) / median(pgbench), median(jaanCPU), median(nioCPU))
        report.append(line)
    }
    var jaan: [Double] = []
    var nio: [Double] = []
    var jaanCPU: [Double] = []
    var nioCPU: [Double] = []
    for round in 1...rounds {
        let j = try await JaanRunner.run(.hundredRows, url: url, clients: 10, seconds: Double(seconds))
        let n = try await NIORunner.run(.hundredRows, port: server.port, clients: 10, seconds: Double(seconds))
        jaan.append(j.operationsPerSecond)
        nio.append(n.operationsPerSecond)
        jaanCPU.append(j.cpuMicrosecondsPerOperation)
        nioCPU.append(n.cpuMicrosecondsPerOperation)
        printNow(
            "100-row decode c=10 round \(round): jaan \(format(j.operationsPerSecond)) q/s (\(format(j.cpuMicrosecondsPerOperation)) µs CPU/q), "
                + "postgres-nio \(format(n.operationsPerSecond)) q/s (\(format(n.cpuMicrosecondsPerOperation)) µs CPU/q)"
        )
    }
    report.append(
        "| 100-row decode into structs, 10 clients | \(format(median(jaan))) | \(format(median(nio))) | n/a | "
            + String(format: "%.2fx | n/a | %.0f / %.0f |", median(jaan) / median(nio), median(jaanCPU), median(nioCPU))
    )
} catch {
    printNow("benchmark failed: \(error)")
}
try await server.stop()
try server.removeFiles()
print("| workload | JaanPostgres q/s | PostgresNIO q/s | pgbench tps | Jaan/NIO | Jaan/pgbench | client CPU µs/q Jaan / NIO |")
print("|---|---|---|---|---|---|---|")
for line in report { print(line) }
