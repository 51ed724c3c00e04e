public import Logging
public import Metrics
public import NIOCore
import NIOHTTP1
public import NIOPosix
public import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An HTTP/1.1 server that answers with a responder, usually a ``Router``'s, and runs as a swift-service-lifecycle
/// `Service`.
///
/// ```swift
/// let router = Router()
/// router.get("/hello") { _, _ in "Hello, World!" }
/// let app = Application(router: router, configuration: .init(address: .hostname("0.0.0.0", port: 3001)))
/// let services = ServiceGroup(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
/// try await services.run()
/// ```
/// On graceful shutdown it stops accepting, closes idle keep-alive connections, lets requests in flight finish
/// up to ``ServerConfiguration/shutdownTimeout``, closes what is left, and returns.
public struct Application<Responder: HTTPResponder>: Service {
    private let responder: Responder
    private let configuration: ServerConfiguration
    private let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    private let metricsFactory: (any MetricsFactory)?
    private let onServerRunning: @Sendable (SocketAddress?) async -> Void

    /// Creates a server.
    ///
    /// - Parameters:
    ///   - responder: Answers every request.
    ///   - configuration: Address, limits and timeouts.
    ///   - logger: The server's logger; each request's logger adds its request id.
    ///   - eventLoopGroup: The event loops for the sockets. Defaults to NIO's shared group, one thread per core.
    ///   - metricsFactory: Where request counts and durations go. Defaults to `nil`: the process-wide `MetricsSystem`.
    ///   - onServerRunning: Called once the server listens, with its local address (read the port from it).
    public init(
        responder: Responder,
        configuration: ServerConfiguration = .init(),
        logger: Logger = Logger(label: "jaan.http"),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        metricsFactory: (any MetricsFactory)? = nil,
        onServerRunning: @escaping @Sendable (SocketAddress?) async -> Void = { _ in }
    ) {
        self.responder = responder
        self.configuration = configuration
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        self.metricsFactory = metricsFactory
        self.onServerRunning = onServerRunning
    }

    /// Creates a server that answers with `router`'s routes.
    public init<Context>(
        router: Router<Context>,
        configuration: ServerConfiguration = .init(),
        logger: Logger = Logger(label: "jaan.http"),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        metricsFactory: (any MetricsFactory)? = nil,
        onServerRunning: @escaping @Sendable (SocketAddress?) async -> Void = { _ in }
    ) where Responder == RouterResponder<Context> {
        self.init(
            responder: router.buildResponder(),
            configuration: configuration,
            logger: logger,
            eventLoopGroup: eventLoopGroup,
            metricsFactory: metricsFactory,
            onServerRunning: onServerRunning
        )
    }

    /// Listens and serves until graceful shutdown or cancellation.
    public func run() async throws {
        let registry = ConnectionRegistry(maximum: self.configuration.maximumConnections)
        let serverChannel = try await self.bind(registry: registry)
        let localAddress = serverChannel.channel.localAddress
        self.logger.info("Server started", metadata: ["address": "\(localAddress?.description ?? self.configuration.address.description)"])
        await self.onServerRunning(localAddress)

        let connection = HTTPConnection(
            responder: self.responder, configuration: self.configuration, logger: self.logger, metrics: ServerMetrics(factory: self.metricsFactory))
        let executors = EventLoopExecutors(group: self.eventLoopGroup)
        let shutdownTimeout = self.configuration.shutdownTimeout
        try await withGracefulShutdownHandler {
            try await serverChannel.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await child in inbound {
                        group.addTask(executorPreference: executors.executor(for: child.channel.eventLoop)) {
                            await Self.serve(child, with: connection)
                        }
                    }
                    // Accepting has stopped: give the connections in flight until the deadline.
                    await Self.drain(registry, timeout: shutdownTimeout)
                }
            }
        } onGracefulShutdown: {
            registry.quiesceAll()
            serverChannel.channel.close(promise: nil)
        }
        self.logger.info("Server stopped")
    }

    /// Serves one connection, cancelling its work when the client goes away or a request's handler is cancelled
    /// through its context's ``RequestCancellation``.
    private static func serve(_ child: HTTPConnectionChannel, with connection: HTTPConnection<Responder>) async {
        let cancelled = CancellationSignal()
        child.channel.closeFuture.whenComplete { _ in cancelled.fire() }
        try? await withThrowingDiscardingTaskGroup { group in
            group.addTask {
                await connection.run(child, cancelling: cancelled)
            }
            group.addTask {
                await cancelled.wait()
                throw CancellationError()
            }
        }
    }

    /// Waits until every connection has closed, closing what is left at the deadline.
    private static func drain(_ registry: ConnectionRegistry, timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(for: timeout)
                registry.closeAll()
            }
            await registry.waitUntilEmpty()
            group.cancelAll()
        }
    }

    private func bind(registry: ConnectionRegistry) async throws -> NIOAsyncChannel<HTTPConnectionChannel, Never> {
        let limits = HTTPChannelHandler.Limits(
            bodyLimit: self.configuration.bodyLimit,
            headerLimit: self.configuration.headerLimit,
            headerTimeout: TimeAmount(self.configuration.headerReadTimeout),
            idleTimeout: TimeAmount(self.configuration.idleTimeout),
            shutdownGrace: TimeAmount(self.configuration.shutdownIdleGrace)
        )
        let decoderLimits = {
            var limits = NIOHTTPDecoderLimitConfiguration()
            limits.maxHeaderFieldSize = self.configuration.headerLimit
            limits.maxHeaderListSize = self.configuration.headerLimit
            return limits
        }()
        let initializer: @Sendable (any Channel) -> EventLoopFuture<HTTPConnectionChannel> = { channel in
            channel.eventLoop.makeCompletedFuture {
                guard registry.register(channel) else {
                    channel.close(promise: nil)
                    throw ConnectionRefused()
                }
                let handler = HTTPChannelHandler(limits: limits)
                let pipeline = channel.pipeline.syncOperations
                try pipeline.addHandler(RawBytesObserver(owner: handler))
                try pipeline.addHandler(ByteToMessageHandler(HTTPRequestDecoder(limitConfiguration: decoderLimits)))
                try pipeline.addHandler(handler)
                return HTTPConnectionChannel(channel: channel, handler: handler)
            }
        }
        var bootstrap = ServerBootstrap(group: self.eventLoopGroup)
            .serverChannelOption(.backlog, value: self.configuration.backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelOption(.allowRemoteHalfClosure, value: false)
        switch self.configuration.address.kind {
        case .hostname(let host, let port):
            bootstrap = bootstrap.childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            return try await bootstrap.bind(host: host, port: port, childChannelInitializer: initializer)
        case .unixDomainSocket(let path):
            return try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true, childChannelInitializer: initializer)
        case .socketDescriptor(let descriptor):
            let channel = try await bootstrap.bind(descriptor, childChannelInitializer: initializer)
            // NIO listens again on an adopted socket with its default backlog of 128, before the backlog option
            // applies: a burst of connections then overflowed the queue and waited a second for the SYN's retry.
            guard listen(descriptor, self.configuration.backlog) == 0 else {
                let error = IOError(errnoCode: errno, reason: "listen")
                try? await channel.channel.close()
                throw error
            }
            return channel
        }
    }
}

/// Thrown by the connection initializer when the server is full or shutting down; NIO then closes the connection.
struct ConnectionRefused: Error {}

extension TimeAmount {
    init(_ duration: Duration) {
        self = .nanoseconds(duration.nanoseconds)
    }
}
