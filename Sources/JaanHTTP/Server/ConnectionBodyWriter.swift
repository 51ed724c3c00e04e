import NIOCore

/// The server's writer for a streamed response body: each chunk goes to the client as it is written.
struct ConnectionBodyWriter: ResponseBodyWriter {
    let connection: HTTPConnectionChannel
    let counter: ByteCounter

    /// Sends `buffer`, unless the task serving the request is cancelled: then the body stops with `CancellationError`.
    nonisolated(nonsending) mutating func write(_ buffer: ByteBuffer) async throws {
        try Task.checkCancellation()
        self.counter.bytes += buffer.readableBytes
        try await self.connection.write(.body(buffer))
    }

    nonisolated(nonsending) mutating func flush() async throws {
        // Every write is flushed already.
    }

    nonisolated(nonsending) mutating func finish() async throws {
        try await self.connection.write(.end)
    }
}

/// Counts the body bytes of a streamed response for the access log, through any writer that wraps the server's.
final class ByteCounter {
    var bytes = 0
}
