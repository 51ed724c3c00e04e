import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOHTTPCompression

/// The peer: swift-nio-extras' `HTTPResponseCompressor` in an `EmbeddedChannel` pipeline, one
/// request and one complete response per body.
final class NIOCompressor {
    private let channel = EmbeddedChannel()
    private let requestHead = HTTPRequestHead(
        version: .http1_1,
        method: .GET,
        uri: "/members",
        headers: ["Accept-Encoding": "gzip"]
    )
    private let responseHead = HTTPResponseHead(
        version: .http1_1,
        status: .ok,
        headers: ["Content-Type": "application/json"]
    )

    init() throws {
        try self.channel.pipeline.syncOperations.addHandler(HTTPResponseCompressor())
    }

    deinit {
        _ = try? self.channel.finish()
    }

    /// Sends one response with `body` through the compressor and returns the compressed body.
    func gzip(_ body: ByteBuffer) throws -> ByteBuffer {
        try self.channel.writeInbound(HTTPServerRequestPart.head(self.requestHead))
        _ = try self.channel.readInbound(as: HTTPServerRequestPart.self)
        try self.channel.writeInbound(HTTPServerRequestPart.end(nil))
        _ = try self.channel.readInbound(as: HTTPServerRequestPart.self)

        try self.channel.writeOutbound(HTTPServerResponsePart.head(self.responseHead))
        try self.channel.writeOutbound(HTTPServerResponsePart.body(.byteBuffer(body)))
        try self.channel.writeOutbound(HTTPServerResponsePart.end(nil))
        var compressed: ByteBuffer?
        while let part = try self.channel.readOutbound(as: HTTPServerResponsePart.self) {
            if case .body(.byteBuffer(var buffer)) = part {
                if compressed == nil {
                    compressed = buffer
                } else {
                    compressed!.writeBuffer(&buffer)
                }
            }
        }
        return compressed ?? ByteBuffer()
    }
}
