public import NIOCore

/// The body of a response: complete bytes, or a stream that the handler writes to.
///
/// A streamed body is a closure the server calls with a writer once the head is sent:
/// ```swift
/// ResponseBody { writer in
///     for event in events {
///         try await writer.write(ByteBuffer(string: "data: \(event)\n\n"))
///         try await writer.flush()
///     }
/// }
/// ```
/// The server finishes the body when the closure returns.
public struct ResponseBody: Sendable {
    /// The closure that writes a streamed body.
    public typealias Write = nonisolated(nonsending) @Sendable (inout any ResponseBodyWriter) async throws -> Void

    enum Storage: Sendable {
        case buffer(ByteBuffer)
        case stream(Write)
    }

    let storage: Storage

    /// The length of the body in bytes, when known before it is written; sent as `Content-Length`.
    public let contentLength: Int?

    /// An empty body.
    public init() {
        self.init(buffer: ByteBuffer())
    }

    /// A body of complete bytes.
    public init(buffer: ByteBuffer) {
        self.storage = .buffer(buffer)
        self.contentLength = buffer.readableBytes
    }

    /// A streamed body.
    ///
    /// - Parameters:
    ///   - contentLength: The number of bytes `write` will write, if known; otherwise the body is sent chunked.
    ///   - write: Writes the body; the server calls it once, after sending the head.
    public init(contentLength: Int? = nil, write: @escaping Write) {
        self.storage = .stream(write)
        self.contentLength = contentLength
    }

    /// The complete bytes of the body, or `nil` for a streamed body.
    public var buffer: ByteBuffer? {
        if case .buffer(let buffer) = self.storage { return buffer }
        return nil
    }

    /// Returns a streamed body that writes this body's bytes through a writer wrapped around the server's;
    /// middleware that rewrites the bytes (compression, for one) uses it.
    ///
    /// - Parameters:
    ///   - contentLength: The length of the transformed body, if known.
    ///   - transform: Wraps the writer it is given. The wrapper's ``ResponseBodyWriter/finish()`` is called once at
    ///     the end: it writes what it still holds to the writer it wraps, and does not finish that one.
    public func withWriter(
        contentLength: Int? = nil,
        _ transform: @escaping @Sendable (any ResponseBodyWriter) -> any ResponseBodyWriter
    ) -> ResponseBody {
        let storage = self.storage
        return ResponseBody(contentLength: contentLength) { writer in
            var transformed = transform(writer)
            switch storage {
            case .buffer(let buffer):
                if buffer.readableBytes > 0 { try await transformed.write(buffer) }
            case .stream(let write):
                try await write(&transformed)
            }
            try await transformed.finish()
        }
    }

    /// Writes the whole body to `writer` and finishes it.
    nonisolated(nonsending) package func write(to writer: inout any ResponseBodyWriter) async throws {
        try await self.writeContent(to: &writer)
        try await writer.finish()
    }

    /// Writes the body's bytes to `writer` without finishing it, for a body that wraps this one.
    nonisolated(nonsending) package func writeContent(to writer: inout any ResponseBodyWriter) async throws {
        switch self.storage {
        case .buffer(let buffer):
            if buffer.readableBytes > 0 { try await writer.write(buffer) }
        case .stream(let write):
            try await write(&writer)
        }
    }
}
