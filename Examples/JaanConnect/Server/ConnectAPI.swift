import Foundation
import HTTPTypes
import JaanCompression
import JaanHTTP
import JaanPool
import JaanPostgres
import JaanTimeout
import Logging
import NIOCore

/// The Jaan Connect API's routes over a database client.
struct ConnectAPI: Sendable {
    var client: PostgresClient
    var settings: Settings
    var metrics: AppMetrics
    var hasher = PasswordHasher()

    /// Builds the router: health and metrics at the root, the API under `/api/v1`.
    func router() -> Router<AppContext> {
        let router = Router(context: AppContext.self)
        router.add(middleware: CORSMiddleware(configuration: .init(allowedOrigins: corsOrigins)))
        router.add(middleware: ResponseCompressionMiddleware())
        var decompression = RequestDecompressionMiddleware<AppContext>.Configuration()
        decompression.limit = settings.bodyLimit
        router.add(middleware: RequestDecompressionMiddleware(configuration: decompression))
        // The deadline cancels the handler's task, and with it its pool wait and running statement.
        router.add(middleware: TimeoutMiddleware(settings.requestTimeout))
        router.add(middleware: ErrorMiddleware())
        HealthRoutes(client: client, metrics: metrics).add(to: router)
        // The API's routes resume on the database client's threads when a statement answers, instead of waking
        // the event loop for it; the deadline above stays on the loop.
        let api = router.group("/api/v1").add(middleware: TaskExecutorMiddleware(client.taskExecutor))
        let cache = SessionCache(configuration: .init(timeToLive: settings.sessionCacheTTL), clock: ContinuousClock())
        let users = UserRoutes(client: client, hasher: hasher, sessions: cache)
        let sessions = SessionRoutes(client: client, hasher: hasher, sessions: cache)
        users.addPublic(to: api)
        sessions.addPublic(to: api)
        let authenticated = api.group().add(middleware: SessionMiddleware(client: client, sessions: cache))
        users.addAuthenticated(to: authenticated)
        sessions.addAuthenticated(to: authenticated)
        ConnectionRoutes(client: client).add(to: authenticated)
        MessageRoutes(client: client).add(to: authenticated)
        ContactRoutes(client: client, bodyLimit: settings.bodyLimit).add(to: authenticated)
        return router
    }

    private var corsOrigins: CORSMiddleware<AppContext>.AllowedOrigins {
        settings.corsOrigins == ["*"] ? .all : .list(settings.corsOrigins)
    }

    /// The HTTP server's settings.
    var serverConfiguration: ServerConfiguration {
        var configuration = ServerConfiguration(address: .hostname(settings.host, port: settings.port))
        configuration.bodyLimit = settings.bodyLimit
        configuration.backlog = Int32(Settings.listenBacklog)
        configuration.shutdownTimeout = settings.shutdownTimeout
        return configuration
    }

    /// The database client's settings.
    static func clientConfiguration(_ settings: Settings, databaseURL: String) -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(connectionString: databaseURL)
        configuration.pool.maximumConnections = settings.poolMax
        configuration.pool.minimumConnections = settings.poolMin
        configuration.connection.applicationName = "jaan-connect"
        return configuration
    }
}
