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

@Suite struct MigrationFileTests {
    @Test func filesSplitIntoStatementsAndSortByVersion() throws {
        let migration = try Migration(fileName: "0007_things", sql: "-- a comment\nCREATE TABLE a (x int);\n\nCREATE INDEX b\n  ON a (x);\n")
        #expect(migration.version == 7 && migration.name == "things")
        #expect(migration.statements == ["CREATE TABLE a (x int);", "CREATE INDEX b\n  ON a (x);"])
        #expect(throws: MigrationError.self) { try Migration(fileName: "things", sql: "") }
        let bundled = try Migration.bundled()
        #expect(bundled.map(\.version) == bundled.map(\.version).sorted())
        #expect(bundled.count >= 3)
    }
}

extension ConnectTests {
    @Suite struct MigrationTests {
        /// Runs `body` with the URL of a fresh, empty database of the suite's server.
        static func withFreshDatabase(_ body: (String) async throws -> Void) async throws {
            let name = TestDatabase.unique("db")
            let server = try TestDatabase.shared.server
            _ = try await TestDatabase.withConnection { try await $0.query("CREATE DATABASE \(identifier: name)") }
            try await body(server.connectionString(database: name))
            _ = try await TestDatabase.withConnection { try await $0.query("DROP DATABASE \(identifier: name) WITH (FORCE)") }
        }

        @Test func concurrentStartsApplyEachMigrationOnce() async throws {
            try await Self.withFreshDatabase { url in
                let results = try await withThrowingTaskGroup(of: [Int].self) { group in
                    for _ in 0..<4 { group.addTask { try await Migrate.migrate(url, logger: TestDatabase.quietLogger) } }
                    return try await group.reduce(into: [[Int]]()) { $0.append($1) }
                }
                let all = try Migration.bundled().map(\.version)
                #expect(results.filter { !$0.isEmpty } == [all])
                #expect(results.filter(\.isEmpty).count == 3)
                try await TestDatabase.withConnection(url: url) { connection in
                    let recorded = try await connection.query("SELECT version FROM schema_migrations ORDER BY version")
                    #expect(try recorded.map { try $0.decode(Int.self, at: 0) } == all)
                }
                #expect(try await Migrate.migrate(url, logger: TestDatabase.quietLogger).isEmpty)
            }
        }

        @Test func checkReportsPendingMigrationsThenNothing() async throws {
            try await Self.withFreshDatabase { url in
                var settings = Settings()
                settings.databaseURL = url
                settings.host = "127.0.0.1"
                settings.port = 0
                let before = await Check.problems(settings, logger: TestDatabase.quietLogger)
                #expect(before.count == 1 && before[0].hasPrefix("migrations pending: 1, 2, 3"))
                _ = try await Migrate.migrate(url, logger: TestDatabase.quietLogger)
                #expect(await Check.problems(settings, logger: TestDatabase.quietLogger).isEmpty)
            }
        }
    }
}

@Suite struct CheckTests {
    @Test func checkFailsOnABadDatabaseURL() async throws {
        var settings = Settings()
        settings.databaseURL = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"
        settings.host = "127.0.0.1"
        settings.port = 0
        let problems = await Check.problems(settings, logger: TestDatabase.quietLogger)
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("database unreachable (DATABASE_URL)") == true)
    }

    @Test func checkFailsOnAPortInUse() async throws {
        let listener = try await ServerBootstrapHelper.listen()
        let problem = await Check.portProblem(host: "127.0.0.1", port: listener.port)
        try await listener.close()
        #expect(problem?.contains("(PORT)") == true)
    }

    @Test func theCommandExitsNonZeroOnABadDatabaseURL() async throws {
        let command = try Check.parse(["--database-url", "postgresql://nobody@127.0.0.1:1/none", "--port", "0", "--host", "127.0.0.1"])
        await #expect(throws: (any Error).self) { try await command.run() }
    }
}
