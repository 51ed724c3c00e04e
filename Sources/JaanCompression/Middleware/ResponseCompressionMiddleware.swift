import HTTPTypes
public import JaanHTTP
import NIOCore

/// Compresses response bodies with gzip or deflate, as the client's `Accept-Encoding` allows.
///
/// ```swift
/// router.add(middleware: ResponseCompressionMiddleware())
/// ```
///
/// A response is compressed when the client accepts gzip or deflate (gzip wins a tie; see
/// ``AcceptEncoding/negotiate(_:supported:)``; a client that accepts nothing gets the identity), its
/// `Content-Type` passes ``Configuration/contentTypes``, its body has at least
/// ``Configuration/minimumSize`` bytes (or an unknown length), and nothing forbids it. Left as they
/// are: responses to HEAD, 1xx, 204, 206 and 304 responses, responses that already have a
/// `Content-Encoding`, and responses with `Cache-Control: no-transform`.
///
/// Every response whose representation could depend on `Accept-Encoding` gets
/// `Vary: Accept-Encoding`, compressed or not, so that caches keep the variants apart. A
/// compressed response's strong `ETag` becomes weak.
///
/// A complete body is compressed in one pass and sent with its compressed `Content-Length`; if
/// it does not get smaller, it is sent as it was. A streamed body is compressed chunk by chunk as
/// the handler writes it, without being held whole, and the handler's
/// ``JaanHTTP/ResponseBodyWriter/flush()`` reaches the client at once (zlib's sync flush), as
/// server-sent events need.
public struct ResponseCompressionMiddleware<Context: RequestContext>: Middleware {
    /// The middleware's settings.
    public struct Configuration: Sendable {
        /// Bodies with fewer bytes are sent uncompressed. Defaults to 1024, as Express's `compression` does.
        public var minimumSize: Int = 1024

        /// Which media types are compressed. Defaults to ``CompressibleContentTypes/default``.
        public var contentTypes: CompressibleContentTypes = .default

        /// The compression level, from 0 (store only) to 9 (smallest, slowest). Defaults to zlib's 6.
        public var level: Int = 6

        /// zlib's memory level, from 1 to 9: more memory is faster and compresses better. Defaults to zlib's 8.
        public var memoryLevel: Int = 8

        /// The codings offered, most preferred first; the client's q-values decide, this order breaks ties.
        /// Defaults to gzip, then deflate.
        public var codings: [ContentCoding] = [.gzip, .deflate]

        /// Creates the default configuration; change what you need through the properties.
        public init() {}
    }

    private let rules: ResponseCompressionRules
    private let deflaterConfiguration: Deflater.Configuration

    /// Creates the middleware.
    ///
    /// - Parameter configuration: The settings. Defaults to gzip and deflate at level 6 for
    ///   compressible types of 1 KB and more.
    /// - Precondition: `level` is in 0...9 and `memoryLevel` in 1...9.
    public init(configuration: Configuration = .init()) {
        var deflaterConfiguration = Deflater.Configuration()
        deflaterConfiguration.level = configuration.level
        deflaterConfiguration.memoryLevel = configuration.memoryLevel
        precondition(deflaterConfiguration.isValid, "compression level must be 0...9 and memory level 1...9")
        self.deflaterConfiguration = deflaterConfiguration
        self.rules = ResponseCompressionRules(
            minimumSize: configuration.minimumSize,
            contentTypes: configuration.contentTypes,
            codings: configuration.codings.filter { $0 != .identity }
        )
    }

    /// Compresses the response `next` returns, when the rules allow it.
    nonisolated(nonsending) public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        let original = response.head
        let decision = self.rules.decide(
            method: request.method,
            acceptEncoding: request.headers[values: .acceptEncoding],
            response: &response.head,
            bodyLength: response.body.contentLength
        )
        guard case .compress(_, let format) = decision else {
            return response
        }
        if let buffer = response.body.buffer {
            let compressed = try Deflater.compress(buffer, format: format, configuration: self.deflaterConfiguration, allocator: context.allocator)
            guard compressed.readableBytes < buffer.readableBytes else {
                // Incompressible after all: the original is smaller, but it still varies.
                response.head = original
                ResponseCompressionRules.addVary(to: &response.head.headerFields)
                return response
            }
            response.body = ResponseBody(buffer: compressed)
        } else {
            let configuration = self.deflaterConfiguration
            let allocator = context.allocator
            response.body = response.body.withWriter { writer in
                CompressingBodyWriter(wrapping: writer, format: format, configuration: configuration, allocator: allocator)
            }
        }
        return response
    }
}
