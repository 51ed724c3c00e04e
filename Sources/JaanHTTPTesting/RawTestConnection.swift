public import NIOCore
import NIOPosix

/// A plain TCP connection to a server under test, for sending exactly the bytes a test wants (malformed, pipelined,
/// trickled) and reading exactly what comes back.
public struct RawTestConnection: Sendable {
    private let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>

    private init(channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>) {
        self.channel = channel
    }

    /// Connects to `address`, runs `body` with the connection, and closes it.
    public static func withConnection<Value: Sendable>(
        to address: SocketAddress,
        _ body: (RawTestConnection, inout RawTestConnection.Reader) async throws -> Value
    ) async throws -> Value {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .connect(to: address) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, _ in
            var reader = Reader(iterator: inbound.makeAsyncIterator())
            return try await body(RawTestConnection(channel: channel), &reader)
        }
    }

    /// Sends bytes.
    public func send(_ text: String) async throws {
        try await self.channel.channel.writeAndFlush(ByteBuffer(string: text))
    }

    /// Reads what the server sends.
    public struct Reader {
        var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        var received = ""

        /// Everything the server sends until it closes the connection.
        public mutating func readUntilClose() async throws -> String {
            while let chunk = try await self.iterator.next() {
                self.received += String(buffer: chunk)
            }
            defer { self.received = "" }
            return self.received
        }

        /// Reads until the text received so far contains `marker` `count` times; returns all of it, or what there
        /// was when the server closed.
        public mutating func read(until marker: String, count: Int = 1) async throws -> String {
            while self.received.occurrences(of: marker) < count {
                guard let chunk = try await self.iterator.next() else { break }
                self.received += String(buffer: chunk)
            }
            defer { self.received = "" }
            return self.received
        }
    }
}

extension String {
    /// How many times `marker` occurs, not overlapping.
    func occurrences(of marker: String) -> Int {
        var count = 0
        var rest = self[...]
        while let range = rest.firstRange(of: marker) {
            count += 1
            rest = rest[range.upperBound...]
        }
        return count
    }
}
