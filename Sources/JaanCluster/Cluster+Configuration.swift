extension Cluster {
    /// How the cluster is laid out and supervised. Every default matches the PM2 deployment Jaan replaces.
    public struct Configuration: Sendable {
        /// The address to listen on. Defaults to `"0.0.0.0"`.
        public var host: String
        /// The TCP port to listen on; `0` picks a free one. Defaults to 3001.
        public var port: Int
        /// The length of each listening socket's queue of connections not yet accepted. Defaults to 1024.
        public var backlog: Int
        /// How the workers share the port. Defaults to ``Listening/socketPerWorker``, which spreads
        /// connections evenly.
        public var listening: Listening
        /// How many workers to run. Defaults to ``WorkerCount/automatic``: one per CPU the process may use.
        public var workers: WorkerCount
        /// How long a new worker may take to report that it is ready before it is killed and counted
        /// as failed. Defaults to 10 seconds.
        public var startTimeout: Duration
        /// How long a worker may take to finish in-flight work after SIGTERM before it is killed.
        /// Defaults to 5 seconds.
        public var shutdownTimeout: Duration
        /// The resident memory above which a worker is replaced (its replacement starts first),
        /// in bytes; `nil` disables the limit. Defaults to 1 GB (1,073,741,824 bytes).
        public var memoryLimit: Int?
        /// How often each worker's memory and CPU are sampled. Defaults to 1 second.
        public var sampleInterval: Duration
        /// The delay before restarting a worker that died soon after starting; it doubles on each
        /// further quick death. Defaults to 100 milliseconds.
        public var initialBackoff: Duration
        /// The longest delay between restarts. Defaults to 15 seconds.
        public var maximumBackoff: Duration
        /// How long a worker must have been ready for its death to reset the back-off and restart it at once.
        /// Defaults to 10 seconds.
        public var minimumUptime: Duration
        /// How many failures of one worker id are tolerated within ``restartWindow``; one more stops
        /// the cluster with exit code 1. Defaults to 10.
        public var maximumRestarts: Int
        /// The window in which ``maximumRestarts`` counts failures. Defaults to 60 seconds.
        public var restartWindow: Duration
        /// A file the supervisor keeps current with the ``ClusterStatus`` of every worker, replaced
        /// atomically; `nil` writes none. Defaults to `nil`.
        public var statusFile: String?
        /// The binary workers execute; `nil` uses the running binary's path as resolved at start,
        /// so a reload picks up a binary replaced at the same path. Defaults to `nil`.
        public var executablePath: String?
        /// The arguments workers get (without the program name); `nil` uses this process's arguments.
        /// Defaults to `nil`.
        public var arguments: [String]?

        /// Creates a configuration.
        /// - Parameters:
        ///   - host: the address to listen on. Defaults to `"0.0.0.0"`.
        ///   - port: the TCP port to listen on. Defaults to 3001.
        ///   - workers: how many workers to run. Defaults to one per usable CPU.
        public init(host: String = "0.0.0.0", port: Int = 3001, workers: WorkerCount = .automatic) {
            self.host = host
            self.port = port
            self.backlog = 1024
            self.listening = .socketPerWorker
            self.workers = workers
            self.startTimeout = .seconds(10)
            self.shutdownTimeout = .seconds(5)
            self.memoryLimit = 1 << 30
            self.sampleInterval = .seconds(1)
            self.initialBackoff = .milliseconds(100)
            self.maximumBackoff = .seconds(15)
            self.minimumUptime = .seconds(10)
            self.maximumRestarts = 10
            self.restartWindow = .seconds(60)
            self.statusFile = nil
            self.executablePath = nil
            self.arguments = nil
        }
    }

    /// How the workers of a cluster share its port.
    public enum Listening: Sendable, Equatable {
        /// Every worker slot has a socket of its own on the port (`SO_REUSEPORT`), and the kernel
        /// spreads new connections evenly among the sockets by their addresses, as PM2's round robin
        /// does. The supervisor keeps every socket open, so a connection for a worker that died waits
        /// in its socket's queue until the replacement starts, and a replacement during a reload
        /// shares the socket of the worker it replaces.
        case socketPerWorker
        /// One socket for every worker: a connection goes to whichever worker accepts first, so the
        /// others take a dead worker's share at once. The split follows the scheduler and can be
        /// very uneven: an idle worker wins a burst of connections and keeps them, as Node.js's
        /// documentation warns for this mode of its cluster.
        case sharedSocket
    }
}
