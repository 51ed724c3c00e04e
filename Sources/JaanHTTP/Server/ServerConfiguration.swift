/// The settings of an HTTP server; every one has a default that matches the deployment Jaan replaces.
public struct ServerConfiguration: Sendable {
    /// Where to listen. Defaults to `0.0.0.0:3001`.
    public var address: BindAddress = .hostname("0.0.0.0", port: 3001)
    /// The largest request body accepted, in bytes; larger ones get 413. Defaults to 50 MB.
    public var bodyLimit: Int = 50 * 1024 * 1024
    /// The largest request head (request line and header fields), in bytes; larger ones get 431. Defaults to 16 KB.
    public var headerLimit: Int = 16 * 1024
    /// How long a client may take to send a whole request head, from its first byte; slower ones get 408 and are
    /// closed. Defaults to 10 seconds.
    public var headerReadTimeout: Duration = .seconds(10)
    /// How long a keep-alive connection may sit with no request, or a body upload may stall, before it is closed.
    /// Defaults to 60 seconds.
    public var idleTimeout: Duration = .seconds(60)
    /// The most connections open at once; connections beyond it are closed as they arrive. Defaults to 10,000.
    public var maximumConnections: Int = 10_000
    /// How long graceful shutdown waits for requests in flight before it closes their connections. Defaults to 5 seconds.
    public var shutdownTimeout: Duration = .seconds(5)
    /// How long, during graceful shutdown, an idle keep-alive connection stays open for a request that may already be
    /// on its way; such a request is answered with `Connection: close`. Defaults to 1 second.
    public var shutdownIdleGrace: Duration = .seconds(1)
    /// The listen backlog, also given to an adopted socket (`.socketDescriptor`). Defaults to 256.
    public var backlog: Int32 = 256
    /// Whether each response is logged at `info` (method, path, status, bytes, duration, request id). Defaults to `true`.
    public var accessLog: Bool = true

    /// Creates the default configuration; change what you need through the properties.
    public init() {}

    /// Creates the default configuration listening at `address`.
    public init(address: BindAddress) {
        self.address = address
    }
}
