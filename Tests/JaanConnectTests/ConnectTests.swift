import ArgumentParser
import Foundation
import HTTPTypes
import JaanHTTP
import JaanHTTPTesting
import JaanPool
import JaanPostgres
import JaanPostgresServer
import Logging
import NIOCore
import Testing

@testable import JaanConnect

/// Every database test runs inside this suite, which starts one throwaway PostgreSQL server for the
/// test process, migrates it and runs one shared client. Tests make users with unique emails, so
/// they run in parallel.
@Suite(.connectDatabase)
struct ConnectTests {}

/// Starts the throwaway server and the client around the suite and publishes them in a task local.
struct ConnectDatabaseTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        var configuration = LocalPostgresServer.Configuration()
        configuration.settings = ["max_connections": "300", "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"]
        let server = try await LocalPostgresServer.create(configuration: configuration)
        try await server.start()
        do {
            let url = server.connectionString()
            _ = try await Migrate.migrate(url, logger: TestDatabase.quietLogger)
            var clientConfiguration = PostgresClient.Configuration(connectionString: url)
            clientConfiguration.pool.maximumConnections = 40
            clientConfiguration.pool.minimumConnections = 2
            // Parallel tests on a loaded machine can queue for a connection longer than the 2 s default; the
            // acquire timeout itself is tested with a client of its own.
            clientConfiguration.pool.acquireTimeout = .seconds(30)
            // Likewise, a new backend can take longer than the 10 s default to start when the cores are saturated
            // (seen beside six CPU hogs); the connect timeout itself is tested against an unreachable server.
            clientConfiguration.connection.connectTimeout = .seconds(60)
            let client = PostgresClient(configuration: clientConfiguration, logger: TestDatabase.quietLogger)
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await client.run() }
                try await TestDatabase.$current.withValue(TestDatabase(server: server, url: url, client: client)) {
                    try await function()
                }
                group.cancelAll()
            }
        } catch {
            try? await server.stop()
            try? server.removeFiles()
            throw error
        }
        try await server.stop()
        try server.removeFiles()
    }
}

extension Trait where Self == ConnectDatabaseTrait {
    /// Runs the suite against a throwaway, migrated PostgreSQL server.
    static var connectDatabase: Self { ConnectDatabaseTrait() }
}

/// The suite's server and client.
struct TestDatabase: Sendable {
    @TaskLocal static var current: TestDatabase?
    static let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    let server: LocalPostgresServer
    let url: String
    let client: PostgresClient

    static var shared: TestDatabase {
        get throws {
            guard let current else { throw TestSetupError() }
            return current
        }
    }

    /// Opens a connection of its own, runs `body`, and closes it.
    static func withConnection<Result>(url: String? = nil, _ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        let connection = try await PostgresConnection.connect(configuration: .init(connectionString: url ?? shared.url))
        do {
            let result = try await body(connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }

    /// A name no other test uses.
    static func unique(_ prefix: String = "u") -> String {
        prefix + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
    }
}

struct TestSetupError: Error {}
