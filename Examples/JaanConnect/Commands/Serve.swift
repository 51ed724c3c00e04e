import ArgumentParser
import Foundation
import JaanCluster
import JaanPool
import JaanPostgres
import Logging
import Metrics
import NIOCore

/// `jaan-connect serve` (the default): runs the API, under a supervisor with one worker per CPU.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the API (the default command).")
    static let defaultStatusFile = ".jaan/cluster-status.json"

    @OptionGroup var options: ConfigurationOptions
    @Option(help: "Where the supervisor keeps the workers' status, for jaan-connect status.") var statusFile = Serve.defaultStatusFile

    func run() async throws {
        let settings = try options.settings()
        let logger = options.logger(settings)
        var configuration = Cluster.Configuration(host: settings.host, port: settings.port, workers: settings.workerCount)
        configuration.backlog = Settings.listenBacklog
        configuration.memoryLimit = settings.maxMemory
        configuration.shutdownTimeout = settings.shutdownTimeout + .seconds(1)
        configuration.statusFile = statusFile
        try FileManager.default.createDirectory(
            atPath: (statusFile as NSString).deletingLastPathComponent.isEmpty ? "." : (statusFile as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        let role: Cluster.Role
        do {
            role = try Cluster(configuration: configuration, logger: logger).role()
        } catch {
            logger.critical("Cannot listen", metadata: ["host": "\(settings.host)", "port": "\(settings.port)", "error": "\(error)"])
            throw ExitCode.failure
        }
        switch role {
        case .supervisor(let supervisor):
            Self.warnWithoutLibsodium(logger)
            // Migrations run once, here, before any worker starts; workers inherit DATABASE_URL.
            let code = try await withDatabase(settings, logger: logger) { url in
                _ = try await Migrate.migrate(url, logger: logger)
                setenv("DATABASE_URL", url, 1)
                return await supervisor.run()
            }
            throw ExitCode(code)
        case .worker(let worker):
            let metrics = AppMetrics(statusFile: statusFile, workerID: worker.id)
            MetricsSystem.bootstrap(metrics.factory)
            guard let url = settings.databaseURL else {
                worker.logger.critical("A worker started without DATABASE_URL")
                throw ExitCode.failure
            }
            try await APIServer(settings: settings, databaseURL: url, metrics: metrics, logger: worker.logger).run(on: worker)
        case .single(let worker):
            Self.warnWithoutLibsodium(logger)
            let metrics = AppMetrics(statusFile: nil, workerID: 0)
            MetricsSystem.bootstrap(metrics.factory)
            try await withDatabase(settings, logger: logger) { url in
                _ = try await Migrate.migrate(url, logger: logger)
                try await APIServer(settings: settings, databaseURL: url, metrics: metrics, logger: worker.logger).run(on: worker)
            }
        }
    }

    /// Warns, once per start and not from every worker, that new password hashes fall back to scrypt.
    private static func warnWithoutLibsodium(_ logger: Logger) {
        if LibSodium.shared == nil {
            logger.warning("libsodium23 is not installed: new password hashes use scrypt, and Argon2id hashes cannot be checked")
        }
    }
}
