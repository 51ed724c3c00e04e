import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

enum Workload: String {
    case selectOnly = "select-only"
    case hundredRows = "100-row decode"
}

/// Operations per second, and the client process's CPU time per operation.
struct Measurement {
    var operationsPerSecond: Double
    var cpuMicrosecondsPerOperation: Double

    /// Runs `operation` in a loop from `clients` tasks for `seconds`.
    static func drive(
        clients: Int,
        seconds: Double,
        _ operation: @escaping @Sendable () async throws -> Void
    ) async throws -> Measurement {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        let cpuBefore = processCPUSeconds()
        let start = ContinuousClock.now
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<clients {
                group.addTask {
                    var count = 0
                    while ContinuousClock.now < deadline {
                        try await operation()
                        count += 1
                    }
                    return count
                }
            }
            var total = 0
            for try await count in group { total += count }
            return total
        }
        let elapsed = ContinuousClock.now - start
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let cpu = processCPUSeconds() - cpuBefore
        return Measurement(operationsPerSecond: Double(total) / wall, cpuMicrosecondsPerOperation: cpu * 1e6 / Double(max(total, 1)))
    }

    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}

/// Runs pgbench, the C client, and returns its transactions per second.
enum PGBench {
    static func run(port: Int, clients: Int, seconds: Int) throws -> Double {
        let output = try execute(
            "pgbench",
            [
                "-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", "-S", "-M", "prepared", "-n", "-c", "\(clients)", "-j", "2", "-T", "\(seconds)",
                "postgres",
            ]
        )
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("tps = ") }),
            let value = Double(line.dropFirst(6).split(separator: " ")[0])
        else { throw BenchmarkError(message: "unexpected pgbench output: \(output)") }
        return value
    }

    static func initialize(port: Int, scale: Int) throws {
        _ = try execute("pgbench", ["-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", "-i", "-q", "-s", "\(scale)", "postgres"])
    }

    static func execute(_ program: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else { throw BenchmarkError(message: "\(program) failed: \(text)") }
        return text
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
