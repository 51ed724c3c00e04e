import Foundation
import JaanPool
import JaanPostgres
import JaanPostgresServer
import Logging

/// The private PostgreSQL server `jaan-connect` runs when no `DATABASE_URL` is set: data under
/// `.jaan/postgres` in the working directory, reached over its Unix socket.
struct EmbeddedDatabase: Sendable {
    /// The database the application uses inside the embedded server.
    static let databaseName = "jaan_connect"

    let server: LocalPostgresServer
    /// The libpq connection string of the application's database.
    let connectionString: String

    /// Creates the cluster on first use, starts it and creates the application's database.
    static func start(directory: String, logger: Logger) async throws -> EmbeddedDatabase {
        var configuration = LocalPostgresServer.Configuration()
        configuration.dataDirectory = directory
        let server: LocalPostgresServer
        do {
            server = try await LocalPostgresServer.create(configuration: configuration)
        } catch let error as LocalPostgresServerError {
            throw EmbeddedDatabaseError(
                description: """
                    \(error). jaan-connect runs its own PostgreSQL when DATABASE_URL is not set, and needs the server \
                    programs for that: install them (Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql), \
                    or set DATABASE_URL to an existing database.
                    """
            )
        }
        logger.info("Starting the embedded PostgreSQL", metadata: ["data": "\(server.dataDirectory)"])
        try await server.start()
        do {
            let connection = try await PostgresConnection.connect(
                configuration: .init(connectionString: server.socketConnectionString(database: "postgres"))
            )
            let exists = try await connection.query("SELECT 1 FROM pg_database WHERE datname = \(databaseName)")
            if exists.isEmpty {
                try await connection.query("CREATE DATABASE \(identifier: databaseName)")
            }
            await connection.close()
        } catch {
            try? await server.stop()
            throw error
        }
        return EmbeddedDatabase(server: server, connectionString: server.socketConnectionString(database: databaseName))
    }

    /// Stops the server cleanly.
    func stop(logger: Logger) async {
        logger.info("Stopping the embedded PostgreSQL")
        do {
            try await server.stop()
        } catch {
            logger.error("The embedded PostgreSQL did not stop cleanly", metadata: ["error": "\(error)"])
        }
        try? server.removeFiles()
    }
}

/// The embedded server could not start; the description says what to do.
struct EmbeddedDatabaseError: Error, CustomStringConvertible {
    let description: String
}

/// Runs `body` with a database connection string: `DATABASE_URL` when set, else the embedded
/// server's (started before and stopped after `body`).
func withDatabase<T>(
    _ settings: Settings,
    embeddedDirectory: String = ".jaan/postgres",
    logger: Logger,
    _ body: (String) async throws -> T
) async throws -> T {
    if let url = settings.databaseURL { return try await body(url) }
    let embedded = try await EmbeddedDatabase.start(directory: embeddedDirectory, logger: logger)
    do {
        let result = try await body(embedded.connectionString)
        await embedded.stop(logger: logger)
        return result
    } catch {
        await embedded.stop(logger: logger)
        throw error
    }
}
