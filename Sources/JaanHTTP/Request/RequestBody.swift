import HTTPTypes
public import NIOCore

/// The body of a request: bytes that are already complete, or a stream read from the connection as the handler asks.
///
/// Iterate it to process a large body chunk by chunk, or ``collect(upTo:)`` to have it in one buffer:
/// ```swift
/// let bytes = try await request.body.collect(upTo: 1 << 20)
/// ```
/// A body streamed from a connection can be iterated once.
public struct RequestBody: Sendable, AsyncSequence {
    /// Each element is the next chunk of bytes.
    public typealias Element = ByteBuffer
    /// Reading a streamed body can fail, for example when it exceeds the server's body limit.
    public typealias Failure = any Error

    enum Storage: Sendable {
        case buffer(ByteBuffer)
        case stream(any AsyncSequence<ByteBuffer, any Error> & Sendable)
    }

    let storage: Storage

    /// An empty body.
    public init() {
        self.storage = .buffer(ByteBuffer())
    }

    /// A body whose bytes are all known.
    public init(buffer: ByteBuffer) {
        self.storage = .buffer(buffer)
    }

    /// A body read from any sequence of byte chunks; middleware uses this to hand on a transformed body.
    public init(stream: some AsyncSequence<ByteBuffer, any Error> & Sendable) {
        self.storage = .stream(stream)
    }

    /// The whole body, if it is already in memory.
    public var buffer: ByteBuffer? {
        if case .buffer(let buffer) = self.storage { return buffer }
        return nil
    }

    /// Reads the whole body into one buffer.
    ///
    /// - Parameter limit: The most bytes to accept.
    /// - Throws: ``HTTPError`` 413 (Content Too Large) as soon as the body passes `limit`, before reading the rest.
    public func collect(upTo limit: Int) async throws -> ByteBuffer {
        switch self.storage {
        case .buffer(let buffer):
            guard buffer.readableBytes <= limit else { throw HTTPError(.contentTooLarge) }
            return buffer
        case .stream(let stream):
            var collected = ByteBuffer()
            for try await var chunk in stream {
                guard collected.readableBytes + chunk.readableBytes <= limit else { throw HTTPError(.contentTooLarge) }
                if collected.readableBytes == 0 {
                    collected = chunk
                } else {
                    collected.writeBuffer(&chunk)
                }
            }
            return collected
        }
    }

    /// Iterates over the chunks of the body.
    public func makeAsyncIterator() -> AsyncIterator {
        switch self.storage {
        case .buffer(let buffer):
            AsyncIterator(state: .buffer(buffer.readableBytes > 0 ? buffer : nil))
        case .stream(let stream):
            AsyncIterator(state: .stream(stream.makeAsyncIterator()))
        }
    }

    /// Produces the chunks of a ``RequestBody``.
    public struct AsyncIterator: AsyncIteratorProtocol {
        enum State {
            case buffer(ByteBuffer?)
            case stream(any AsyncIteratorProtocol<ByteBuffer, any Error>)
        }

        var state: State

        /// The next chunk, or `nil` at the end of the body.
        public mutating func next() async throws -> ByteBuffer? {
            switch self.state {
            case .buffer(let buffer):
                self.state = .buffer(nil)
                return buffer
            case .stream(var iterator):
                let chunk = try await iterator.next()
                self.state = .stream(iterator)
                return chunk
            }
        }
    }
}
