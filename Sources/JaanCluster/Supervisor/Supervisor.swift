import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The supervisor of a cluster: it holds the listening sockets and runs the workers.
///
/// ``run()`` starts the workers (each executes this binary again, inheriting its slot's socket), restarts
/// those that die with an exponential back-off, replaces those above the memory limit, reloads them
/// one at a time on SIGHUP, and stops them gracefully on SIGTERM or SIGINT.
public final class Supervisor: Sendable {
    let configuration: Cluster.Configuration
    /// The listening sockets: one per worker slot, or one for all (see ``Cluster/Listening``).
    let sockets: [ListeningSocket]
    let logger: Logger
    let executablePath: String
    let arguments: [String]
    private let started = Mutex(false)

    /// How many workers run.
    public let workerCount: Int

    /// The TCP port the cluster listens on (the bound one when the configuration asked for port 0).
    public var port: Int { sockets[0].port }

    init(configuration: Cluster.Configuration, workerCount: Int, sockets: [ListeningSocket], logger: Logger) {
        self.configuration = configuration
        self.workerCount = workerCount
        self.sockets = sockets
        self.logger = logger
        self.executablePath = configuration.executablePath ?? Self.runningExecutablePath()
        let programName = CommandLine.arguments.first ?? executablePath
        self.arguments = [programName] + (configuration.arguments ?? Array(CommandLine.arguments.dropFirst()))
    }

    /// The listening socket of a worker slot.
    func socket(forSlot slot: Int) -> ListeningSocket { sockets[slot % sockets.count] }

    /// Runs the workers until the cluster stops, and returns the exit code the process should end with.
    ///
    /// - SIGTERM or SIGINT: every worker is told to stop (SIGTERM) and gets the shutdown timeout to
    ///   finish in-flight work, then is killed; returns 0.
    /// - SIGHUP: a rolling reload; each worker in turn gets a ready replacement before it is stopped.
    /// - A worker that fails more than ``Cluster/Configuration/maximumRestarts`` times within the
    ///   restart window stops the cluster; returns 1.
    ///
    /// The supervisor's loop runs on a thread of its own (it blocks in `poll`), and handles SIGTERM,
    /// SIGINT, SIGHUP and SIGCHLD itself while it runs. Call it once; a second call returns 1 at once.
    ///
    /// - Important: Workers re-execute this binary with the same arguments, so everything before
    ///   ``Cluster/role()`` runs in every worker too; put one-time work after `role()` in the supervisor case.
    public func run() async -> Int32 {
        let first = started.withLock { started in
            defer { started = true }
            return !started
        }
        guard first else { return 1 }
        return await withCheckedContinuation { continuation in
            let thread = Thread {
                let loop = SupervisorLoop(supervisor: self)
                continuation.resume(returning: loop.run())
            }
            thread.name = "jaan-cluster-supervisor"
            thread.start()
        }
    }

    /// The path of the running binary, resolved now so a binary later replaced at the same path is
    /// what reloaded workers run.
    private static func runningExecutablePath() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return CommandLine.arguments.first ?? "/proc/self/exe" }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
