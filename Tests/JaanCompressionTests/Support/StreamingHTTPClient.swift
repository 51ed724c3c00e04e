import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOPosix

/// Sends one GET over a real connection and hands each body chunk to the test as it arrives,
/// so that a test can see when bytes reach the client, not only that they do.
enum StreamingHTTPClient {
    static func get(
        _ path: String,
        from address: SocketAddress,
        headers: [(String, String)],
        onHead: (HTTPResponseHead) throws -> Void,
        onChunk: (ByteBuffer) async throws -> Void
    ) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(to: address) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            let head = HTTPRequestHead(
                version: .http1_1,
                method: .GET,
                uri: path,
                headers: HTTPHeaders([("Host", "localhost"), ("Connection", "close")] + headers)
            )
            try await outbound.write(.head(head))
            try await outbound.write(.end(nil))
            for try await part in inbound {
                switch part {
                case .head(let head):
                    try onHead(head)
                case .body(let chunk):
                    try await onChunk(chunk)
                case .end:
                    return
                }
            }
        }
    }
}
