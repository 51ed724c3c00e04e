import ArgumentParser
import Foundation
import JaanCluster
import JaanPool
import JaanPostgres
import Logging
import NIOCore

/// `jaan-connect status`: the cluster's workers, from the supervisor's status file.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the cluster's workers as a table or JSON.")

    @Option(help: "The status file the supervisor keeps.") var statusFile = Serve.defaultStatusFile
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
        let status: ClusterStatus
        do {
            status = try ClusterStatus.read(from: statusFile)
        } catch {
            print("No cluster status at \(statusFile): is jaan-connect serve running here, with more than one worker?")
            throw ExitCode.failure
        }
        print(json ? status.json() : status.table())
    }
}
