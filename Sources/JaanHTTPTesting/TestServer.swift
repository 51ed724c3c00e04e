public import JaanHTTP
public import Logging
public import NIOCore
import ServiceLifecycle

/// How a test reaches the application.
public enum TestMode: Sendable, CaseIterable {
    /// Through the responder, in this process, without sockets.
    case inProcess
    /// Through a real server on an ephemeral loopback port.
    case live
}

/// Runs `body` with a client for `router`'s routes, in process or against a live server on an ephemeral port that
/// is shut down gracefully afterwards.
///
/// ```swift
/// @Test(arguments: TestMode.allCases)
/// func hello(mode: TestMode) async throws {
///     try await withTestClient(router: router, mode: mode) { client in
///         #expect(try await client.execute(.get, "/hello").bodyString == "Hello")
///     }
/// }
/// ```
public func withTestClient<Context, Value: Sendable>(
    router: Router<Context>,
    mode: TestMode,
    configuration: ServerConfiguration = .init(),
    logger: Logger = Logger(label: "jaan.test"),
    _ body: @Sendable (any TestClient) async throws -> Value
) async throws -> Value {
    switch mode {
    case .inProcess:
        return try await body(InProcessTestClient(router: router, logger: logger))
    case .live:
        return try await withLiveServer(responder: router.buildResponder(), configuration: configuration, logger: logger) { address in
            try await body(LiveTestClient(address: address))
        }
    }
}

/// Runs a real server for `responder` on an ephemeral loopback port (the configuration's address is replaced)
/// while `body` runs, then shuts it down gracefully and waits for it to stop.
public func withLiveServer<Responder: HTTPResponder, Value: Sendable>(
    responder: Responder,
    configuration: ServerConfiguration = .init(),
    logger: Logger = Logger(label: "jaan.test"),
    _ body: @Sendable (SocketAddress) async throws -> Value
) async throws -> Value {
    var configuration = configuration
    configuration.address = .hostname("127.0.0.1", port: 0)
    let (addresses, continuation) = AsyncStream.makeStream(of: SocketAddress?.self)
    let app = Application(responder: responder, configuration: configuration, logger: logger) { address in
        continuation.yield(address)
        continuation.finish()
    }
    return try await withThrowingTaskGroup(of: Value?.self) { group in
        let services = ServiceGroup(configuration: .init(services: [.init(service: app)], logger: logger))
        group.addTask {
            try await services.run()
            return nil
        }
        var iterator = addresses.makeAsyncIterator()
        guard let address = await iterator.next() ?? nil else {
            throw LiveTestClientError()
        }
        let value: Value
        do {
            value = try await body(address)
        } catch {
            await services.triggerGracefulShutdown()
            throw error
        }
        await services.triggerGracefulShutdown()
        try await group.waitForAll()
        return value
    }
}
