public import Logging

/// The entry point of a clustered server: decides whether this process is the supervisor,
/// a worker, or the only process.
///
/// The supervisor starts each worker by executing its own binary again with the same arguments
/// and a marker in the environment, so the application keeps a single entry point:
///
/// ```swift
/// let cluster = Cluster(configuration: .init(port: 3001), logger: logger)
/// switch try cluster.role() {
/// case .supervisor(let supervisor):
///     try await runMigrations()
///     exit(try await supervisor.run())
/// case .worker(let worker), .single(let worker):
///     try await serve(adopting: worker.listeningSocket) { worker.reportReady() }
/// }
/// ```
public struct Cluster: Sendable {
    /// How the cluster is laid out and supervised.
    public var configuration: Configuration
    /// The logger of the supervisor (and, with a `worker` metadata value, of each worker).
    public var logger: Logger

    /// Creates a cluster.
    /// - Parameters:
    ///   - configuration: how the cluster is laid out and supervised.
    ///   - logger: where the supervisor and the library's worker side log.
    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Decides the role of this process from its environment.
    ///
    /// - A process started by a supervisor becomes a ``Role/worker(_:)`` holding the inherited
    ///   listening socket. It stops on its own if the supervisor dies. The marker is removed from the
    ///   environment, so processes the worker starts are not workers.
    /// - Otherwise, with one worker configured, it becomes ``Role/single(_:)`` and binds the socket itself.
    /// - Otherwise it binds the listening sockets and becomes the ``Role/supervisor(_:)``; no worker runs
    ///   until ``Supervisor/run()`` is called, so one-time work can happen before.
    ///
    /// Call it once, early in `main`.
    ///
    /// - Throws: ``ClusterError`` when the socket cannot be bound or the inherited state is malformed.
    public func role() throws(ClusterError) -> Role {
        try role(environment: currentEnvironment())
    }

    func role(environment: [String: String]) throws(ClusterError) -> Role {
        if let inherited = try WorkerEnvironment(environment) {
            return .worker(try Worker.adopt(inherited, logger: logger))
        }
        let workerCount = configuration.workers.resolve()
        if workerCount == 1 {
            let socket = try ListeningSocket.bind(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
            var logger = logger
            logger[metadataKey: Worker.metadataKey] = "0"
            return .single(Worker(id: 0, workerCount: 1, listeningSocket: socket.descriptor, port: socket.port, logger: logger, control: nil))
        }
        let sockets = try ListeningSocket.bindGroup(
            count: configuration.listening == .socketPerWorker ? workerCount : 1,
            host: configuration.host,
            port: configuration.port,
            backlog: configuration.backlog
        )
        return .supervisor(Supervisor(configuration: configuration, workerCount: workerCount, sockets: sockets, logger: logger))
    }
}

extension Cluster {
    /// The role of this process in the cluster.
    public enum Role: Sendable {
        /// This process supervises the workers; call ``Supervisor/run()``.
        case supervisor(Supervisor)
        /// This process is a worker started by a supervisor; serve on ``Worker/listeningSocket``.
        case worker(Worker)
        /// One worker is configured: this process serves alone, on a socket it bound itself.
        case single(Worker)
    }
}
