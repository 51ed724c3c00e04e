import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

enum Workload: String {
    case selectOnly = "select-only"
    case hundredRows = "100-row"
}

/// A small, fast random number generator (SplitMix64), one per client task: `Int.random(in:)`
/// asks the kernel (`getrandom`) on every call, a cost neither the libraries nor pgbench have.
struct FastRandom {
    var state: UInt64

    mutating func next(in range: ClosedRange<Int>) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return range.lowerBound + Int(z % UInt64(range.count))
    }
}

/// Operations per second, and the client process's CPU time per operation.
struct Measurement {
    var operationsPerSecond: Double
    var cpuMicrosecondsPerOperation: Double

    /// Runs `operation` in a loop from `clients` tasks for `seconds`; `operation` returns how
    /// many queries it ran.
    static func drive(
        clients: Int,
        seconds: Double,
        executor: (any TaskExecutor)? = nil,
        _ operation: @escaping @Sendable (inout FastRandom) async throws -> Int
    ) async throws -> Measurement {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        let cpuBefore = processCPUSeconds()
        let start = ContinuousClock.now
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for client in 0..<clients {
                group.addTask(executorPreference: executor) {
                    var random = FastRandom(state: UInt64(client) &* 0x2545_F491_4F6C_DD1D &+ UInt64(UInt32(truncatingIfNeeded: getpid())))
                    var count = 0
                    while ContinuousClock.now < deadline {
                        count += try await operation(&random)
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

    /// Runs a program to completion with an empty signal mask: threads of a Swift process block
    /// signals such as SIGALRM, which pgbench's `-T` relies on, and a child inherits the mask.
    static func execute(_ program: String, _ arguments: [String]) throws -> String {
        let outputPath = NSTemporaryDirectory() + "/jaan-pgbench-\(getpid()).out"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ["/usr/bin/env", program] + arguments
        let cStrings = argv.map { strdup($0) } + [nil]
        defer { cStrings.forEach { free($0) } }
        var pid = pid_t()
        guard posix_spawn(&pid, argv[0], &actions, &attributes, cStrings, environ) == 0 else {
            throw BenchmarkError(message: "cannot start \(program)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        unlink(outputPath)
        guard status == 0 else { throw BenchmarkError(message: "\(program) failed: \(text)") }
        return text
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
