public import Logging
public import NIOCore

/// The per-request values a handler and middleware share: your own struct around the framework's
/// ``CoreRequestContext``, so you can add typed values of your own.
///
/// ```swift
/// struct AppContext: RequestContext {
///     var core: CoreRequestContext
///     var user: User?
///     init(source: RequestContextSource) {
///         self.core = CoreRequestContext(source: source)
///     }
/// }
/// ```
public protocol RequestContext: Sendable {
    /// Creates the context for a new request.
    init(source: RequestContextSource)

    /// The framework's own per-request storage.
    var core: CoreRequestContext { get set }
}

extension RequestContext {
    /// The request's logger, with the request id in its metadata.
    public var logger: Logger {
        get { self.core.logger }
        set { self.core.logger = newValue }
    }

    /// The request id: taken from `X-Request-Id` when the client sent one, else generated; echoed in the response.
    public var requestID: String { self.core.requestID }

    /// The parameters the matched route captured from the path.
    public var parameters: Parameters { self.core.parameters }

    /// The pattern of the matched route (`/users/:id`), or `nil` when no route matched.
    public var route: String? { self.core.route }

    /// The address of the client, when the connection has one.
    public var remoteAddress: SocketAddress? { self.core.remoteAddress }

    /// The allocator to make response buffers with.
    public var allocator: ByteBufferAllocator { self.core.allocator }
}

/// The request context to use when you need no values of your own.
public struct BasicRequestContext: RequestContext {
    /// The framework's own per-request storage.
    public var core: CoreRequestContext

    /// Creates the context for a new request.
    public init(source: RequestContextSource) {
        self.core = CoreRequestContext(source: source)
    }
}
