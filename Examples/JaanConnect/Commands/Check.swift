import ArgumentParser
import Foundation
import JaanPool
import JaanPostgres
import Logging
import NIOCore
import NIOPosix

/// `jaan-connect check`: verifies the configuration, the database, the migrations and the port.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify the configuration: database reachable, migrations current, port free."
    )

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        let settings = try options.settings()
        let problems = await Self.problems(settings, logger: options.logger(settings))
        if problems.isEmpty {
            print("ok: configuration valid, database reachable, migrations current, port \(settings.port) free")
        } else {
            for problem in problems { FileHandle.standardError.write(Data("jaan-connect check: \(problem)\n".utf8)) }
            throw ExitCode.failure
        }
    }

    /// What is wrong with `settings`, in words for an operator; empty when all is well.
    static func problems(_ settings: Settings, logger: Logger) async -> [String] {
        var problems: [String] = []
        if let problem = await portProblem(host: settings.host, port: settings.port) { problems.append(problem) }
        do {
            try await withDatabase(settings, logger: logger) { url in
                let connection: PostgresConnection
                do {
                    var configuration = PostgresConnection.Configuration(connectionString: url)
                    configuration.connectTimeout = .seconds(5)
                    connection = try await PostgresConnection.connect(configuration: configuration, logger: logger)
                } catch {
                    problems.append("database unreachable (DATABASE_URL): \(error)")
                    return
                }
                do {
                    let pending = try await Migrator(migrations: Migration.bundled(), logger: logger).pending(on: connection)
                    if !pending.isEmpty {
                        problems.append("migrations pending: \(pending.map { String($0.version) }.joined(separator: ", ")); run jaan-connect migrate")
                    }
                } catch {
                    problems.append("cannot read the migrations: \(error)")
                }
                await connection.close()
            }
        } catch {
            problems.append("database: \(error)")
        }
        return problems
    }

    /// Binds and closes the port; a description of the failure when it is taken.
    static func portProblem(host: String, port: Int) async -> String? {
        do {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: port).get()
            try await channel.close()
            return nil
        } catch {
            return "port \(port) on \(host) is not free (PORT): \(error)"
        }
    }
}
