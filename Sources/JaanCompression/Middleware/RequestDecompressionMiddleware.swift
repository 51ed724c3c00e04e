import HTTPTypes
public import JaanHTTP
import NIOCore

/// Decompresses `gzip` and `deflate` request bodies, so that handlers read plain bytes.
///
/// ```swift
/// router.add(middleware: RequestDecompressionMiddleware())
/// ```
///
/// A request with `Content-Encoding: gzip` (or `x-gzip`) or `deflate` (the zlib format, as HTTP
/// defines it) reaches the handler with its body decompressed and without `Content-Encoding` and
/// `Content-Length`. A streamed body is decompressed chunk by chunk as the handler reads it.
/// Requests without a content coding, or with `identity`, pass through untouched.
///
/// Bad bodies get a clear answer, thrown as ``JaanHTTP/HTTPError`` from the body as the handler reads it:
/// - 413 (Content Too Large) as soon as the decompressed body would pass ``Configuration/limit``;
///   no more than the limit is ever held, so a decompression bomb costs little.
/// - 400 (Bad Request) for a corrupt or truncated compressed body.
/// - 415 (Unsupported Media Type), before the handler runs, for any other coding or a stack of
///   codings, with `Accept-Encoding: gzip, deflate` saying what is accepted.
public struct RequestDecompressionMiddleware<Context: RequestContext>: Middleware {
    /// The middleware's settings.
    public struct Configuration: Sendable {
        /// The most bytes a decompressed body may have. Defaults to 50 MB, the server's body limit.
        public var limit: Int = 50 * 1024 * 1024

        /// Creates the default configuration; change what you need through the properties.
        public init() {}
    }

    private let limit: Int

    /// Creates the middleware.
    ///
    /// - Parameter configuration: The settings. Defaults to a 50 MB limit on decompressed bodies.
    /// - Precondition: The limit is not negative.
    public init(configuration: Configuration = .init()) {
        precondition(configuration.limit >= 0, "the decompressed size limit must not be negative")
        self.limit = configuration.limit
    }

    /// Hands `next` the request with its body decompressed.
    nonisolated(nonsending) public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let codings = request.headers[values: .contentEncoding]
            .flatMap { $0.split(separator: ",") }
            .map { Substring(ASCII.trimmingWhitespace($0.utf8)) }
            .filter { !$0.isEmpty && ContentCoding($0) != .identity }
        guard !codings.isEmpty else {
            return try await next(request, context)
        }
        guard codings.count == 1, let format = ContentCoding(codings[0])?.format else {
            throw HTTPError(.unsupportedMediaType, headers: [.acceptEncoding: "gzip, deflate"])
        }
        var request = request
        request.head.headerFields[.contentEncoding] = nil
        request.head.headerFields[.contentLength] = nil
        if let buffer = request.body.buffer {
            do {
                let plain = try Inflater.decompress(buffer, format: format, limit: self.limit, allocator: context.allocator)
                request.body = RequestBody(buffer: plain)
            } catch {
                throw error.httpError
            }
        } else {
            request.body = RequestBody(stream: InflatingBody(compressed: request.body, format: format, limit: self.limit))
        }
        return try await next(request, context)
    }
}

extension CompressionError {
    /// The answer the client gets for a body that cannot be decompressed.
    var httpError: HTTPError {
        switch self {
        case .limitExceeded:
            HTTPError(.contentTooLarge, message: "The decompressed request body is too large")
        case .outOfMemory:
            HTTPError(.serviceUnavailable)
        case .truncatedData:
            HTTPError(.badRequest, message: "The compressed request body is truncated")
        default:
            HTTPError(.badRequest, message: "The compressed request body is corrupt")
        }
    }
}
