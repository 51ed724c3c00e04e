import HTTPTypes
import NIOCore

/// The inbound parts of one connection, shared by its request loop and the body of the request being served.
///
/// Only the connection's task reads it, and only one reader at a time: the loop hands it to a request's body and
/// takes it back after the response. That is the invariant that makes the unchecked `Sendable` safe.
final class InboundSource: @unchecked Sendable {
    private let connection: HTTPConnectionChannel
    /// Whether the current request's body has been read to its end.
    private(set) var bodyFinished = true
    /// Set when the connection must close after the current response (its body was rejected).
    private(set) var mustClose = false

    init(_ connection: HTTPConnectionChannel) {
        self.connection = connection
    }

    /// The next part at the top level, between requests.
    nonisolated(nonsending) func next() async -> InboundHTTPPart? {
        await self.connection.next()
    }

    /// Marks the start of a request whose body follows on the connection.
    func beginStreamedBody() {
        self.bodyFinished = false
    }

    /// The next chunk of the current request's body, or `nil` at its end.
    ///
    /// - Throws: ``HTTPError`` with the status of a rejection (413 too large, 408 too slow, 400 malformed).
    nonisolated(nonsending) func nextBodyChunk() async throws -> ByteBuffer? {
        guard !self.bodyFinished else { return nil }
        switch await self.connection.next() {
        case .body(let chunk):
            return chunk
        case .end, .none:
            self.bodyFinished = true
            return nil
        case .rejected(let status):
            self.bodyFinished = true
            self.mustClose = true
            throw HTTPError(status)
        case .request:
            // Cannot happen: the handler sends `.end` before the next request.
            self.bodyFinished = true
            self.mustClose = true
            return nil
        }
    }

    /// Reads and drops what the handler left of the current body.
    nonisolated(nonsending) func discardBody() async {
        do {
            while try await self.nextBodyChunk() != nil {}
        } catch {
            self.mustClose = true
        }
    }
}

/// A request body read from its connection as the handler iterates it.
struct ConnectionBodyStream: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    typealias Failure = any Error

    let source: InboundSource
    let first: ByteBuffer?

    func makeAsyncIterator() -> Iterator {
        Iterator(source: self.source, first: self.first)
    }

    struct Iterator: AsyncIteratorProtocol {
        let source: InboundSource
        var first: ByteBuffer?

        mutating func next() async throws -> ByteBuffer? {
            if let first = self.first {
                self.first = nil
                return first
            }
            return try await self.source.nextBodyChunk()
        }
    }
}
