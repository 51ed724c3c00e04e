public import Logging
public import NIOCore

/// What the server knows about a request when it makes its context.
public struct RequestContextSource: Sendable {
    /// The request id, from `X-Request-Id` or generated.
    public var requestID: String
    /// The server's logger, to which the request id is added.
    public var logger: Logger
    /// The client's address, when the connection has one.
    public var remoteAddress: SocketAddress?
    /// The allocator of the connection's channel.
    public var allocator: ByteBufferAllocator
    /// What cancels the task serving the request.
    public var cancellation: RequestCancellation

    /// Creates a source; the server and the test client do this for each request.
    public init(
        requestID: String,
        logger: Logger,
        remoteAddress: SocketAddress? = nil,
        allocator: ByteBufferAllocator = .init(),
        cancellation: RequestCancellation = .none
    ) {
        self.requestID = requestID
        self.logger = logger
        self.remoteAddress = remoteAddress
        self.allocator = allocator
        self.cancellation = cancellation
    }
}

/// The framework's own per-request storage, held by every ``RequestContext``.
public struct CoreRequestContext: Sendable {
    /// The request's logger, with `request_id` in its metadata (added when the logger is first read, so a request
    /// that logs nothing pays nothing for it).
    public var logger: Logger {
        get {
            if let assignedLogger { return assignedLogger }
            var logger = self.serverLogger
            logger[metadataKey: "request_id"] = .string(self.requestID)
            return logger
        }
        set { self.assignedLogger = newValue }
    }
    private let serverLogger: Logger
    private var assignedLogger: Logger?
    /// The request id.
    public let requestID: String
    /// The client's address, when the connection has one.
    public let remoteAddress: SocketAddress?
    /// The allocator to make response buffers with.
    public let allocator: ByteBufferAllocator
    /// Cancels the task serving the request; the server then closes the connection after the response.
    public let cancellation: RequestCancellation
    /// The parameters the matched route captured; set by the router.
    public internal(set) var parameters: Parameters
    /// The pattern of the matched route; set by the router.
    public internal(set) var route: String?
    /// The methods the matched path allows, set when the request's method is not among them.
    var allowedMethods: String?

    /// Creates the storage for a new request.
    public init(source: RequestContextSource) {
        self.serverLogger = source.logger
        self.assignedLogger = nil
        self.requestID = source.requestID
        self.remoteAddress = source.remoteAddress
        self.allocator = source.allocator
        self.cancellation = source.cancellation
        self.parameters = Parameters()
        self.route = nil
        self.allowedMethods = nil
    }
}
