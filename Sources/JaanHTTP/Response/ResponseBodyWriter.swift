public import NIOCore

/// Where a streamed response body is written.
///
/// The server's own writer sends each chunk to the client as it is written. A writer that transforms the bytes
/// may hold some back (a compressor does); ``flush()`` makes everything written so far reach the client, which
/// server-sent events need after each event.
///
/// Writers run on the executor of the task that writes the body, the connection's event loop in the server: the
/// requirements are `nonisolated(nonsending)`, and a writer's own async helpers that take `self` should be too.
public protocol ResponseBodyWriter {
    /// Writes the next chunk of the body.
    nonisolated(nonsending) mutating func write(_ buffer: ByteBuffer) async throws

    /// Makes every byte written so far reach the client.
    nonisolated(nonsending) mutating func flush() async throws

    /// Ends the body. Called once, by the writer's owner: the server for its writer, ``ResponseBody/withWriter(contentLength:_:)``
    /// for a wrapping writer, which writes what it still holds to the writer it wraps but does not finish that one.
    nonisolated(nonsending) mutating func finish() async throws
}

extension ResponseBodyWriter {
    /// Writes every chunk of a sequence in order.
    nonisolated(nonsending) public mutating func write<Chunks: AsyncSequence>(contentsOf chunks: Chunks) async throws
    where Chunks.Element == ByteBuffer {
        for try await chunk in chunks {
            try await self.write(chunk)
        }
    }
}
