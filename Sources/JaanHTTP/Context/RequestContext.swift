public import Logging
public import NIOCore

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

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

    /// What cancels the task serving the request: `core.cancellation`, which the default implementation returns.
    ///
    /// A requirement, so that middleware generic over the context reads it without copying all of ``core``.
    var cancellation: RequestCancellation { get }

    /// Encodes the values handlers return as JSON. Defaults to a ``JSONResponseEncoder`` with default keys and
    /// ISO 8601 dates; return one with `.convertToSnakeCase` for a snake_case API.
    var responseEncoder: JSONResponseEncoder { get }

    /// Decodes JSON request bodies in ``Request/decode(as:context:limit:)``. Defaults to a plain `JSONDecoder`.
    var requestDecoder: JSONDecoder { get }
}

extension RequestContext {
    /// The context's ``CoreRequestContext/cancellation``.
    @inlinable public var cancellation: RequestCancellation { self.core.cancellation }

    /// A ``JSONResponseEncoder`` with the default configuration.
    public var responseEncoder: JSONResponseEncoder { JSONResponseEncoder() }

    /// A `JSONDecoder` with the default configuration.
    public var requestDecoder: JSONDecoder { JSONDecoder() }

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
