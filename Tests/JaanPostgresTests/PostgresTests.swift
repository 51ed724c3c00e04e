import Foundation
import JaanPostgres
import JaanPostgresServer
import Logging
import Testing

/// Every PostgreSQL test runs inside this suite, which starts one throwaway server for them all
/// and stops it at the end. Tests use tables with unique names, so they run in parallel.
@Suite(.localPostgres)
struct PostgresTests {}

/// Starts a throwaway PostgreSQL server around the suite and publishes it in a task local.
struct LocalPostgresTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(
        for test: Test,
        testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try await TestServer.start()
        do {
            try await TestServer.$current.withValue(server) { try await function() }
        } catch {
            try? await server.stop()
            try? server.removeFiles()
            throw error
        }
        try await server.stop()
        try server.removeFiles()
    }
}

extension Trait where Self == LocalPostgresTrait {
    /// Runs the suite against a throwaway PostgreSQL server.
    static var localPostgres: Self { LocalPostgresTrait() }
}

enum TestServer {
    @TaskLocal static var current: LocalPostgresServer?

    static func start() async throws -> LocalPostgresServer {
        var configuration = LocalPostgresServer.Configuration()
        // Throwaway data: no need to wait for the disk.
        configuration.settings = ["max_connections": "300", "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"]
        let server = try await LocalPostgresServer.create(configuration: configuration)
        try await server.start()
        return server
    }

    static var server: LocalPostgresServer {
        get throws {
            guard let current else { throw TestSetupError() }
            return current
        }
    }

    static func configuration() throws -> PostgresConnection.Configuration {
        PostgresConnection.Configuration(connectionString: try server.connectionString())
    }

    /// Opens a connection to the shared server, runs `body`, and closes the connection.
    @discardableResult
    static func withConnection<Result>(
        configure: (inout PostgresConnection.Configuration) -> Void = { _ in },
        logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        var configuration = try configuration()
        configure(&configuration)
        let connection = try await PostgresConnection.connect(configuration: configuration, logger: logger)
        do {
            let result = try await body(connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }

    /// A table name no other test uses.
    static func uniqueName(_ prefix: String = "t") -> String {
        prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
    }
}

struct TestSetupError: Error {}
