import ArgumentParser
import Foundation
import JaanHTTP
import JaanPool
import JaanPostgres
import Logging
import NIOCore

/// `jaan-connect seed`: generates users with connections and messages, via COPY.
struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Generate users with connections and messages (for load tests).")

    @OptionGroup var options: ConfigurationOptions
    @Option(help: "Users to create.") var users = 1000
    @Option(help: "Accepted connections per user.") var connections = 5
    @Option(help: "Messages per connection.") var messages = 4
    @Option(help: "The password every seeded user gets.") var password = "jaan-seed-password"

    func run() async throws {
        let settings = try options.settings()
        let logger = options.logger(settings)
        guard users > 0, connections >= 0, messages >= 0 else { throw ValidationError("counts must be positive") }
        let hash = try await PasswordHasher().hash(password)
        let seeder = Seeder(users: users, connectionsPerUser: connections, messagesPerConnection: messages)
        let summary = try await withDatabase(settings, logger: logger) { url in
            _ = try await Migrate.migrate(url, logger: logger)
            let connection = try await PostgresConnection.connect(configuration: .init(connectionString: url), logger: logger)
            do {
                let summary = try await seeder.seed(on: connection, passwordHash: hash)
                await connection.close()
                return summary
            } catch {
                await connection.close()
                throw error
            }
        }
        var configuration = JSONResponseEncoder.Configuration()
        configuration.keyEncodingStrategy = .convertToSnakeCase
        let buffer = try JSONResponseEncoder(configuration: configuration).encode(summary, allocator: .init())
        print(String(buffer: buffer))
    }
}
