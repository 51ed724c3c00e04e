import Foundation
import JaanPostgres
import Logging
import Synchronization
import Testing

extension PostgresTests {
    @Suite struct StatementCacheTests {
        static func prepared(_ connection: PostgresConnection) async throws -> [String] {
            try await connection.query("SELECT name FROM pg_prepared_statements ORDER BY name").map { try $0.decode(String.self, column: "name") }
        }

        @Test func statementsArePreparedOnceAndTheCacheIsBounded() async throws {
            try await TestServer.withConnection(configure: { $0.preparedStatementCacheSize = 3 }) { connection async throws in
                for _ in 0..<3 { try await connection.query("SELECT \(1) AS a") }
                #expect(try await Self.prepared(connection).count == 2)  // the statement and the listing itself
                try await connection.query("SELECT \(1) AS b")
                try await connection.query("SELECT \(1) AS c")
                try await connection.query("SELECT \(1) AS d")
                #expect(try await Self.prepared(connection).count == 3)
                // The same SQL with another bind type is another statement.
                try await connection.query("SELECT \(1) AS d")
                try await connection.query("SELECT \("1") AS d")
                #expect(try await Self.prepared(connection).count == 3)
            }
        }

        @Test func statementsDeallocatedBehindItsBackArePreparedAgain() async throws {
            try await TestServer.withConnection { connection async throws in
                #expect(try await connection.query("SELECT \(7) AS n")[0].decode(Int.self, column: "n") == 7)
                try await connection.query("DEALLOCATE ALL")
                #expect(try await connection.query("SELECT \(8) AS n")[0].decode(Int.self, column: "n") == 8)
            }
        }

        @Test func aZeroCacheSendsUnnamedStatements() async throws {
            try await TestServer.withConnection(configure: { $0.preparedStatementCacheSize = 0 }) { connection async throws in
                #expect(try await connection.query("SELECT \(9) AS n")[0].decode(Int.self, column: "n") == 9)
                #expect(try await Self.prepared(connection).isEmpty)
            }
        }

        @Test func queriesAreLoggedWithDurationAndSQLButNoValues() async throws {
            let records = LogRecords()
            var logger = Logger(label: "test", factory: { _ in CapturingLogHandler(records: records) })
            logger.logLevel = .debug
            // Two thresholds no duration can miss, so the test does not depend on the machine's speed.
            _ = try await TestServer.withConnection(configure: { $0.slowQueryThreshold = .seconds(3600) }, logger: logger) {
                connection async throws in
                try await connection.query("SELECT \("top-secret") AS fast")
            }
            _ = try await TestServer.withConnection(configure: { $0.slowQueryThreshold = .zero }, logger: logger) { connection async throws in
                try await connection.query("SELECT \("top-secret") AS slow")
            }
            let logged = records.all
            let fast = try #require(logged.first { $0.metadata["sql"]?.description.contains("AS fast") == true })
            #expect(fast.level == .debug)
            #expect(fast.metadata["duration_ms"] != nil)
            let slow = try #require(logged.first { $0.metadata["sql"]?.description.contains("AS slow") == true })
            #expect(slow.level == .warning)
            #expect(!logged.contains { "\($0.message) \($0.metadata)".contains("top-secret") })
        }
    }
}

final class LogRecords: Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: Logger.Message
        var metadata: Logger.Metadata
    }

    private let storage = Mutex<[Record]>([])

    var all: [Record] { storage.withLock { $0 } }

    func append(_ record: Record) { storage.withLock { $0.append(record) } }
}

struct CapturingLogHandler: LogHandler {
    let records: LogRecords
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        records.append(.init(level: event.level, message: event.message, metadata: metadata.merging(event.metadata ?? [:]) { $1 }))
    }
}
