import ArgumentParser
import Foundation
import JaanPool
import JaanPostgres
import Logging
import NIOCore

/// `jaan-connect`: the Jaan Connect API and its operator commands.
@main
struct JaanConnectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jaan-connect",
        abstract: "The Jaan Connect API: accounts, connections, messages and contact import.",
        subcommands: [Serve.self, Migrate.self, Check.self, Seed.self, Status.self],
        defaultSubcommand: Serve.self
    )
}
