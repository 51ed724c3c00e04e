import NIOCore

/// The server's writer for a streamed response body: each chunk goes to the client as it is written.
struct ConnectionBodyWriter: ResponseBodyWriter {
    let connection: HTTPConnectionChannel
    let counter: ByteCounter

    mutating func write(_ buffer: ByteBuffer) async throws {
        self.counter.bytes += buffer.readableBytes
        try await self.connection.write(.body(buffer))
    }

    mutating func flush() async throws {
        // Every write is flushed already.
    }

    mutating func finish() async throws {
        try await self.connection.write(.end)
    }
}

/// Counts the body bytes of a streamed response for the access log, through any writer that wraps the server's.
final class ByteCounter {
    var bytes = 0
}
