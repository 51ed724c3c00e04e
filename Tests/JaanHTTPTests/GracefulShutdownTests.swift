import JaanHTTP
import JaanHTTPTesting
import Logging
import NIOCore
import ServiceLifecycle
import Testing

@Suite(.timeLimit(.minutes(1))) struct GracefulShutdownTests {
    func withServer(
        _ router: Router<BasicRequestContext>,
        configuration: ServerConfiguration,
        _ body: @escaping @Sendable (SocketAddress, @escaping @Sendable () async -> Void) async throws -> Void
    ) async throws {
        var configuration = configuration
        configuration.address = .hostname("127.0.0.1", port: 0)
        try await withRunningApplication({ Application(router: router, configuration: configuration, onServerRunning: $0) }, body)
    }

    /// Returns once graceful shutdown has reached the connections: the listener refuses new ones only after the
    /// open connections were asked to finish.
    func waitUntilShutdownHasBegun(at address: SocketAddress) async throws {
        while (try? await RawTestConnection.withConnection(to: address) { _, _ in }) != nil {
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    @Test func inFlightRequestFinishesAndIdleConnectionsClose() async throws {
        let started = Signal()
        let proceed = Signal()
        let router = Router()
        router.get("/slow") { _, _ in
            started.fire()
            await proceed.wait()
            return "done"
        }
        router.get("/fast") { _, _ in "fast" }
        try await self.withServer(router, configuration: testConfiguration { $0.shutdownTimeout = .seconds(20) }) { address, shutdown in
            try await RawTestConnection.withConnection(to: address) { idle, idleReader in
                try await idle.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
                _ = try await idleReader.read(until: "fast")
                try await RawTestConnection.withConnection(to: address) { busy, busyReader in
                    try await busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
                    await started.wait()
                    await shutdown()
                    try await self.waitUntilShutdownHasBegun(at: address)
                    proceed.fire()
                    // The idle keep-alive connection is closed without a response.
                    #expect(try await idleReader.readUntilClose() == "")
                    // The request in flight completes, told that the connection closes.
                    let reply = try await busyReader.readUntilClose()
                    #expect(reply.hasPrefix("HTTP/1.1 200 OK\r\n"))
                    #expect(reply.contains("connection: close\r\n"))
                    #expect(reply.hasSuffix("done"))
                }
            }
        }
    }

    @Test func stuckRequestIsCutOffAtTheShutdownDeadline() async throws {
        let started = Signal()
        let router = Router()
        router.get("/stuck") { _, _ in
            started.fire()
            try await Task.sleep(for: .seconds(60))
            return "never"
        }
        let begin = ContinuousClock.now
        try await self.withServer(router, configuration: testConfiguration { $0.shutdownTimeout = .milliseconds(300) }) { address, shutdown in
            try await RawTestConnection.withConnection(to: address) { connection, reader in
                try await connection.send("GET /stuck HTTP/1.1\r\nHost: x\r\n\r\n")
                await started.wait()
                await shutdown()
                #expect(try await reader.readUntilClose() == "")
            }
        }
        #expect(ContinuousClock.now - begin < .seconds(30))
    }

    @Test func requestOnAnIdleConnectionDuringTheGraceIsAnsweredWithClose() async throws {
        let router = Router()
        router.get("/fast") { _, _ in "fast" }
        let configuration = testConfiguration {
            $0.shutdownTimeout = .seconds(20)
            $0.shutdownIdleGrace = .seconds(20)
        }
        try await self.withServer(router, configuration: configuration) { address, shutdown in
            try await RawTestConnection.withConnection(to: address) { idle, reader in
                try await idle.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
                _ = try await reader.read(until: "fast")
                await shutdown()
                try await self.waitUntilShutdownHasBegun(at: address)
                try await idle.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
                let reply = try await reader.readUntilClose()
                #expect(reply.hasPrefix("HTTP/1.1 200 OK\r\n"))
                #expect(reply.contains("connection: close\r\n"))
            }
        }
    }
}
