import Foundation
import HTTPTypes
import JaanCluster
import JaanHTTP
import JaanPool
import JaanPostgres
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import UnixSignals

/// One serving process: the database pool and the HTTP server on the cluster's socket, stopped
/// gracefully by SIGTERM or SIGINT.
struct APIServer: Sendable {
    var settings: Settings
    var databaseURL: String
    var metrics: AppMetrics
    var logger: Logger

    /// Serves on the worker's listening socket and reports ready once accepting.
    ///
    /// The event loops are the worker's share of the CPUs: one per worker when there is a worker
    /// per CPU, instead of every worker starting one per CPU to take turns on the same cores.
    func run(on worker: Worker) async throws {
        let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: worker.cpuShare)
        defer { eventLoops.shutdownGracefully { _ in } }
        let client = PostgresClient(configuration: ConnectAPI.clientConfiguration(settings, databaseURL: databaseURL), logger: logger)
        let api = ConnectAPI(client: client, settings: settings, metrics: metrics)
        var configuration = api.serverConfiguration
        configuration.address = .socketDescriptor(worker.listeningSocket)
        let app = Application(router: api.router(), configuration: configuration, logger: logger, eventLoopGroup: eventLoops) { _ in
            worker.reportReady()
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: client), .init(service: app)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}
