public import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The worker side of a cluster: the listening socket to serve on, the worker's id, and the way
/// to tell the supervisor it is ready.
///
/// Serve on ``listeningSocket`` (adopt it; do not bind), call ``reportReady()`` once accepting,
/// and on SIGTERM stop accepting, finish in-flight work and exit.
public struct Worker: Sendable {
    /// The metadata key that carries the worker id in log lines: `"worker"`.
    public static let metadataKey = "worker"

    /// The worker's id, `0..<workers`; a replacement keeps the id of the worker it replaces.
    public let id: Int
    /// How many workers the cluster runs: 1 for a single process.
    public let workerCount: Int
    /// The listening TCP socket's file descriptor: this worker slot's own, shared with the supervisor and with a
    /// worker that replaces this one, or one for every worker with ``Cluster/Listening/sharedSocket``.
    /// Close-on-exec is set.
    public let listeningSocket: Int32
    /// The TCP port the socket is bound to.
    public let port: Int
    /// A logger whose every line carries the worker id under ``metadataKey``.
    public let logger: Logger
    let control: Int32?

    init(id: Int, workerCount: Int, listeningSocket: Int32, port: Int, logger: Logger, control: Int32?) {
        self.id = id
        self.workerCount = workerCount
        self.listeningSocket = listeningSocket
        self.port = port
        self.logger = logger
        self.control = control
    }

    /// Whether a supervisor runs this worker (`false` for a single process).
    public var isSupervised: Bool { control != nil }

    /// This worker's share of the CPUs the process may use: the usable CPUs divided by the
    /// workers, at least one; every usable CPU for a single process.
    ///
    /// Size the worker's event loops (and other busy threads) by it. With one worker per CPU it
    /// is 1, as in Node.js's cluster mode: the processes already spread over the CPUs, and more
    /// threads per worker only take turns on them.
    public var cpuShare: Int { max(1, UsableCPUs.count() / workerCount) }

    /// A metadata provider that tags every log line with this worker's id; pass it to
    /// `LoggingSystem.bootstrap(_:metadataProvider:)` so loggers made anywhere in the process carry it.
    public var metadataProvider: Logger.MetadataProvider {
        let id = Logger.MetadataValue.string(String(id))
        return Logger.MetadataProvider { [Worker.metadataKey: id] }
    }

    /// Tells the supervisor this worker accepts connections. Call it once the socket is being served;
    /// a worker that does not call it within the start timeout is killed. Does nothing for a single process.
    public func reportReady() {
        guard let control else { return }
        var byte = UInt8(ascii: "R")
        while write(control, &byte, 1) < 0 && errno == EINTR {}
    }

    /// Takes over the socket and control channel a supervisor passed down, and arranges to stop if
    /// the supervisor dies.
    static func adopt(_ inherited: WorkerEnvironment, logger: Logger) throws(ClusterError) -> Worker {
        guard fcntl(inherited.listenFD, F_SETFD, FD_CLOEXEC) == 0, fcntl(inherited.controlFD, F_SETFD, FD_CLOEXEC) == 0,
            let port = ListeningSocket.boundPort(of: inherited.listenFD)
        else { throw .malformedWorkerEnvironment }
        var logger = logger
        logger[metadataKey: metadataKey] = "\(inherited.workerID)"
        // Processes this worker starts must not take the marker for their own.
        for key in WorkerEnvironment.keys { unsetenv(key) }
        OrphanGuard.start(inherited, logger: logger)
        return Worker(
            id: inherited.workerID, workerCount: inherited.workerCount, listeningSocket: inherited.listenFD, port: port, logger: logger,
            control: inherited.controlFD)
    }
}
