import JaanHTTP
import NIOCore

/// A response body writer that compresses what it is given and writes the result to the writer it wraps.
///
/// Writes let zlib hold output back for better compression; ``flush()`` sync-flushes, so that all
/// written so far reaches the client; ``finish()`` ends the stream with its trailer and releases
/// zlib's memory, without finishing the wrapped writer.
struct CompressingBodyWriter: ResponseBodyWriter {
    private var wrapped: any ResponseBodyWriter
    private let format: CompressionFormat
    private let configuration: Deflater.Configuration
    /// Created on first use, since creating one can fail and the writer's initializer cannot.
    private var deflater: Deflater?
    /// Reused for every piece of output once the wrapped writer has let go of it.
    private var output: ByteBuffer

    init(wrapping wrapped: any ResponseBodyWriter, format: CompressionFormat, configuration: Deflater.Configuration, allocator: ByteBufferAllocator) {
        self.wrapped = wrapped
        self.format = format
        self.configuration = configuration
        self.output = allocator.buffer(capacity: 0)
    }

    nonisolated(nonsending) mutating func write(_ buffer: ByteBuffer) async throws {
        guard buffer.readableBytes > 0 else {
            return
        }
        try await self.compress(buffer, flush: .none)
    }

    nonisolated(nonsending) mutating func flush() async throws {
        try await self.compress(ByteBuffer(), flush: .sync)
        try await self.wrapped.flush()
    }

    nonisolated(nonsending) mutating func finish() async throws {
        try await self.compress(ByteBuffer(), flush: .finish)
        self.deflater?.end()
    }

    nonisolated(nonsending) private mutating func compress(_ buffer: ByteBuffer, flush: Deflater.Flush) async throws {
        let deflater = try self.deflater ?? Deflater(format: self.format, configuration: self.configuration)
        self.deflater = deflater
        var input = buffer
        self.output.clear()
        try deflater.compress(&input, into: &self.output, flush: flush)
        if self.output.readableBytes > 0 {
            try await self.wrapped.write(self.output)
        }
    }
}
