import ArgumentParser
import Foundation
import HTTPTypes
import JaanCluster
import JaanHTTPTesting
import JaanPostgres
import NIOCore
import Synchronization
import Testing

@testable import JaanConnect

extension ConnectTests {
    /// The real `jaan-connect serve` binary under its supervisor: migrations once, two workers on one port.
    @Suite struct ClusterServeTests {
        static let binary: String = {
            let testBinary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            return URL(fileURLWithPath: testBinary).deletingLastPathComponent().appendingPathComponent("jaan-connect").path
        }()

        @Test func serveMigratesOnceThenRunsTwoWorkersThatStopOnSIGTERM() async throws {
            try await MigrationTests.withFreshDatabase { url in
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent(TestDatabase.unique("serve")).path
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(atPath: directory) }
                let statusFile = directory + "/status.json"
                let process = Process()
                process.executableURL = URL(fileURLWithPath: Self.binary)
                process.arguments = ["serve", "--host", "127.0.0.1", "--port", "0", "--workers", "2", "--status-file", statusFile]
                process.currentDirectoryURL = URL(fileURLWithPath: directory)
                var environment = ProcessInfo.processInfo.environment
                environment["DATABASE_URL"] = url
                environment["LOG_LEVEL"] = "info"
                environment["JAAN_DB_POOL_MIN"] = "1"
                process.environment = environment
                let output = OutputLines()
                process.standardOutput = output.pipe
                process.standardError = output.pipe
                let exited = ProcessExit(process)
                try process.run()
                output.start()

                var port: Int?
                var started = 0
                var applied = 0
                for await line in output.lines {
                    if line.contains("Cluster starting"), let match = line.firstMatch(of: /port=(\d+)/) { port = Int(match.1) }
                    if line.contains("Applied migration") { applied += 1 }
                    if line.contains("Server started") { started += 1 }
                    if started == 2 { break }
                }
                #expect(applied == 3)
                let address = try SocketAddress(ipAddress: "127.0.0.1", port: try #require(port))
                let client = LiveTestClient(address: address)
                #expect(try await client.execute(.get, "/ready").status == .ok)
                let metrics = try await client.execute(.get, "/metrics").bodyString
                #expect(metrics.contains("jaan_cluster_workers 2"))
                let status = try ClusterStatus.read(from: statusFile)
                #expect(status.workers.count == 2)
                #expect(throws: Never.self) { try Status.parse(["--status-file", statusFile, "--json"]).run() }

                process.terminate()
                #expect(await exited.status() == 0)
                let migrations = try await TestDatabase.withConnection(url: url) { connection in
                    try await connection.query("SELECT count(*) FROM schema_migrations")[0].decode(Int.self, at: 0)
                }
                #expect(migrations == 3)
            }
        }
    }
}

/// The lines a child process writes, read on a thread of their own.
final class OutputLines: Sendable {
    let pipe = Pipe()
    let lines: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation

    init() {
        (lines, continuation) = AsyncStream.makeStream(of: String.self)
    }

    func start() {
        let handle = pipe.fileHandleForReading
        let continuation = self.continuation
        let reader = Thread {
            var pending = ""
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                pending += String(decoding: data, as: UTF8.self)
                while let newline = pending.firstIndex(of: "\n") {
                    continuation.yield(String(pending[..<newline]))
                    pending = String(pending[pending.index(after: newline)...])
                }
            }
            continuation.finish()
        }
        reader.start()
    }
}

/// Waits for a process's exit without blocking a cooperative thread.
final class ProcessExit: Sendable {
    private let exitStatus: AsyncStream<Int32>

    init(_ process: Process) {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        exitStatus = stream
        process.terminationHandler = { process in
            continuation.yield(process.terminationStatus)
            continuation.finish()
        }
    }

    func status() async -> Int32? {
        for await status in exitStatus { return status }
        return nil
    }
}
