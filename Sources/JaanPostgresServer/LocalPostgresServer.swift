import Foundation

/// A PostgreSQL server of this machine's installation, run in a folder of its own.
///
/// `LocalPostgresServer` creates a cluster with `initdb` (only when the folder holds none yet),
/// starts it with `pg_ctl` on a free TCP port of `127.0.0.1` and on a Unix socket in a private
/// folder, and stops it again. Tests use it for a throwaway server; an application can use it
/// as an embedded default database (for example in `.jaan/postgres`).
///
/// When the process runs as root, PostgreSQL refuses to start, so the helper hands the folders
/// to the ``Configuration/systemUser`` account and runs the server binaries as that user
/// through `runuser` (or `su` where `runuser` is missing).
///
/// ```swift
/// let server = try await LocalPostgresServer.create()
/// try await server.start()
/// let url = server.connectionString(database: "postgres")
/// // ...
/// try await server.stop()
/// try server.removeFiles()
/// ```
public struct LocalPostgresServer: Sendable {
    /// How to create and run the server.
    public struct Configuration: Sendable {
        /// The folder that holds the cluster's data. `nil` creates a fresh temporary folder,
        /// which ``LocalPostgresServer/removeFiles()`` deletes. Defaults to `nil`.
        public var dataDirectory: String?
        /// The TCP port on `127.0.0.1`. `nil` picks a free port. Defaults to `nil`.
        public var port: Int?
        /// The folder with `initdb`, `pg_ctl` and `postgres`. `nil` searches
        /// `/usr/lib/postgresql/<newest>/bin`, `pg_config --bindir` and `PATH`. Defaults to `nil`.
        public var binaryDirectory: String?
        /// The database superuser that `initdb` creates; clients connect as this role
        /// without a password (trust authentication on local connections only). Defaults to `"postgres"`.
        public var superuser: String
        /// The operating-system account that runs the server when this process is root. Defaults to `"postgres"`.
        public var systemUser: String
        /// Extra server settings passed as `-c name=value`, for example `["fsync": "off"]`
        /// for throwaway test data. Defaults to `max_connections = 200`.
        public var settings: [String: String]
        /// The longest wait for the server to start or stop. Defaults to 60 seconds.
        public var startTimeout: Duration

        /// Creates a configuration with the defaults.
        public init() {
            self.dataDirectory = nil
            self.port = nil
            self.binaryDirectory = nil
            self.superuser = "postgres"
            self.systemUser = "postgres"
            self.settings = ["max_connections": "200"]
            self.startTimeout = .seconds(60)
        }
    }

    /// The cluster's data folder.
    public let dataDirectory: String
    /// The TCP port the server listens on, on `127.0.0.1`.
    public let port: Int
    /// The folder that holds the server's Unix socket.
    public let socketDirectory: String
    /// The database superuser to connect as.
    public let superuser: String
    let binaries: Binaries
    let configuration: Configuration
    let ownsFolders: Bool
    let runAs: String?
    /// Held from ``start()`` to ``stop(immediately:)``: the folder's server belongs to this process.
    let lock: FolderLock

    /// Finds the binaries, reserves a port and creates the cluster with `initdb` if the data folder holds none.
    ///
    /// - Parameter configuration: How to create and run the server. Defaults to ``Configuration/init()``.
    /// - Returns: A server that is ready to ``start()``.
    public static func create(configuration: Configuration = .init()) async throws -> LocalPostgresServer {
        let binaries = try Binaries.find(in: configuration.binaryDirectory)
        let runAs = getuid() == 0 ? configuration.systemUser : nil
        let fileManager = FileManager.default
        let root: String?
        let dataDirectory: String
        if let configured = configuration.dataDirectory {
            root = nil
            dataDirectory = URL(fileURLWithPath: configured).standardizedFileURL.path
            try fileManager.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        } else {
            let made = try makeTemporaryDirectory(prefix: "jaan-pg-")
            root = made
            dataDirectory = made + "/data"
            try fileManager.createDirectory(atPath: dataDirectory, withIntermediateDirectories: false)
        }
        // Unix socket paths are limited to about 100 bytes, so the socket gets a short folder of its own.
        let socketDirectory = try makeTemporaryDirectory(prefix: "jaan-pgs-")
        let port = try configuration.port ?? FreePort.reserve()
        let server = LocalPostgresServer(
            dataDirectory: dataDirectory,
            port: port,
            socketDirectory: socketDirectory,
            superuser: configuration.superuser,
            binaries: binaries,
            configuration: configuration,
            ownsFolders: root != nil,
            runAs: runAs,
            lock: FolderLock(path: dataDirectory + "/jaan-server.lock")
        )
        try server.prepareOwnership(root: root)
        if !fileManager.fileExists(atPath: dataDirectory + "/PG_VERSION") {
            try await server.initializeCluster()
        }
        return server
    }

    /// A libpq connection string for a database of this server, over TCP.
    ///
    /// - Parameter database: The database name. Defaults to `"postgres"`.
    public func connectionString(database: String = "postgres") -> String {
        "postgresql://\(superuser)@127.0.0.1:\(port)/\(database)"
    }

    /// A libpq connection string for a database of this server, over its Unix socket.
    ///
    /// - Parameter database: The database name. Defaults to `"postgres"`.
    public func socketConnectionString(database: String = "postgres") -> String {
        "host=\(socketDirectory) port=\(port) user=\(superuser) dbname=\(database)"
    }

    /// Starts the server and waits until it accepts connections.
    ///
    /// A server still running on the data folder, left by a process that died without stopping
    /// it, is stopped first; the process that started it is gone, since the folder's lock is free.
    ///
    /// - Throws: ``LocalPostgresServerError`` when another live process runs a server on the
    ///   folder, or when PostgreSQL fails to start.
    public func start() async throws {
        guard try lock.acquire() else { throw LocalPostgresServerError.folderInUse(path: dataDirectory) }
        var options = ["-p \(port)", "-k \(socketDirectory)", "-c listen_addresses=127.0.0.1"]
        for (name, value) in configuration.settings.sorted(by: { $0.key < $1.key }) {
            options.append("-c \(name)=\(value)")
        }
        let seconds = Int(configuration.startTimeout.components.seconds)
        do {
            if await isRunning() {
                try await stopServer(immediately: false)
            }
            try await run(
                binaries.pgCtl,
                ["start", "-w", "-t", "\(seconds)", "-D", dataDirectory, "-l", logFile, "-o", options.joined(separator: " ")],
                step: "pg_ctl start"
            )
        } catch {
            lock.release()
            throw error
        }
    }

    /// Stops the server and waits until it has exited.
    ///
    /// - Parameter immediately: `true` stops without a clean shutdown, as a crash would
    ///   (`pg_ctl stop -m immediate`); `false` disconnects clients and shuts down cleanly
    ///   (`-m fast`). Defaults to `false`.
    public func stop(immediately: Bool = false) async throws {
        defer { lock.release() }
        try await stopServer(immediately: immediately)
    }

    private func stopServer(immediately: Bool) async throws {
        let seconds = Int(configuration.startTimeout.components.seconds)
        try await run(
            binaries.pgCtl,
            ["stop", "-w", "-t", "\(seconds)", "-D", dataDirectory, "-m", immediately ? "immediate" : "fast"],
            step: "pg_ctl stop"
        )
    }

    /// Whether the server is running.
    public func isRunning() async -> Bool {
        (try? await run(binaries.pgCtl, ["status", "-D", dataDirectory], step: "pg_ctl status")) != nil
    }

    /// Deletes the folders this helper created: the temporary data folder (never a configured
    /// ``Configuration/dataDirectory``) and the socket folder. Stop the server first.
    public func removeFiles() throws {
        let fileManager = FileManager.default
        if ownsFolders {
            try fileManager.removeItem(atPath: (dataDirectory as NSString).deletingLastPathComponent)
        }
        try? fileManager.removeItem(atPath: socketDirectory)
    }

    /// The server's log file, inside the data folder.
    public var logFile: String { dataDirectory + "/server.log" }

    private func initializeCluster() async throws {
        try await run(
            binaries.initdb,
            ["-D", dataDirectory, "-U", superuser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"],
            step: "initdb"
        )
    }
}
