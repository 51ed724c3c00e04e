import JaanHTTP
import JaanHTTPTesting
import Logging
import NIOCore
import ServiceLifecycle
import Testing

@Suite(.timeLimit(.minutes(1))) struct GracefulShutdownTests {
    /// Runs a server for `router` and `body` with its address and a way to start graceful shutdown; returns once
    /// the server has stopped.
    func withServer(
        _ router: Router<BasicRequestContext>,
        configuration: ServerConfiguration,
        _ body: @escaping @Sendable (SocketAddress, @escaping @Sendable () async -> Void) async throws -> Void
    ) async throws {
        var configuration = configuration
        configuration.address = .hostname("127.0.0.1", port: 0)
        let (addresses, continuation) = AsyncStream.makeStream(of: SocketAddress?.self)
        let app = Application(router: router, configuration: configuration) { address in
            continuation.yield(address)
        }
        let logger = Logger(label: "jaan.test")
        let services = ServiceGroup(configuration: .init(services: [.init(service: app)], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var iterator = addresses.makeAsyncIterator()
            let address = try #require(await iterator.next() ?? nil)
            try await body(address) { await services.triggerGracefulShutdown() }
            try await group.next()
        }
    }

    @Test func inFlightRequestFinishesAndIdleConnectionsClose() async throws {
        let started = Signal()
        let router = Router()
        router.get("/slow") { _, _ in
            started.fire()
            try await Task.sleep(for: .milliseconds(300))
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
}
