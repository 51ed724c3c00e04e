import Foundation
import JaanPostgres
import Testing

@testable import JaanPostgresServer

/// A data folder kept across runs, as an application's embedded database keeps one.
@Suite struct LocalPostgresServerTests {
    /// A server on `folder`, with throwaway settings.
    static func server(on folder: String) async throws -> LocalPostgresServer {
        var configuration = LocalPostgresServer.Configuration()
        configuration.dataDirectory = folder
        configuration.settings = ["fsync": "off", "full_page_writes": "off"]
        return try await LocalPostgresServer.create(configuration: configuration)
    }

    static func withFolder(_ body: (String) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jaan-pg-kept-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await body(folder + "/data")
    }

    static func answers(_ server: LocalPostgresServer) async throws -> Bool {
        let connection = try await PostgresConnection.connect(configuration: .init(connectionString: server.socketConnectionString()))
        let rows = try await connection.query("SELECT 1")
        await connection.close()
        return rows.count == 1
    }

    @Test func aServerLeftRunningByAProcessThatDiedIsStoppedAndStartedAgain() async throws {
        try await Self.withFolder { folder in
            let first = try await Self.server(on: folder)
            try await first.start()
            // The process that started it dies: the kernel drops its lock, and the server runs on.
            first.lock.release()
            let second = try await Self.server(on: folder)
            try await second.start()
            #expect(try await Self.answers(second))
            try await second.stop()
            #expect(await !first.isRunning())
            try second.removeFiles()
            try first.removeFiles()
        }
    }

    @Test func aFolderWhoseServerAnotherProcessRunsIsRefused() async throws {
        try await Self.withFolder { folder in
            let first = try await Self.server(on: folder)
            try await first.start()
            // Another process: it opens the lock file on its own, so the lock is not shared with the first.
            let second = try await Self.server(on: folder)
            let refusal = await #expect(throws: LocalPostgresServerError.self) { try await second.start() }
            #expect(refusal?.description == "another process runs PostgreSQL on \(folder)")
            #expect(try await Self.answers(first))
            try await first.stop()
            try first.removeFiles()
            try second.removeFiles()
        }
    }
}
