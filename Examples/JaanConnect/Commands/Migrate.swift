import ArgumentParser
import Foundation
import JaanPool
import JaanPostgres
import Logging
import NIOCore

/// `jaan-connect migrate`: applies pending migrations and exits.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations.")

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        let settings = try options.settings()
        let logger = options.logger(settings)
        let applied = try await withDatabase(settings, logger: logger) { url in
            try await Self.migrate(url, logger: logger)
        }
        print(applied.isEmpty ? "The database is up to date." : "Applied migrations \(applied.map(String.init).joined(separator: ", ")).")
    }

    /// Connects to `url` and applies what is pending.
    static func migrate(_ url: String, logger: Logger) async throws -> [Int] {
        let connection = try await PostgresConnection.connect(configuration: .init(connectionString: url), logger: logger)
        do {
            let applied = try await Migrator(migrations: Migration.bundled(), logger: logger).migrate(on: connection)
            await connection.close()
            return applied
        } catch {
            await connection.close()
            throw error
        }
    }
}
