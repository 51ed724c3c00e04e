public import HTTPTypes
public import NIOCore
import NIOHTTP1
import NIOPosix

/// Sends each request over a new TCP connection to a running server, through NIO's HTTP/1.1 client codec.
public struct LiveTestClient: TestClient {
    /// The server's address.
    public let address: SocketAddress

    /// Creates a client for the server at `address`.
    public init(address: SocketAddress) {
        self.address = address
    }

    /// Sends a request and waits for the whole response.
    public func execute(_ method: HTTPRequest.Method, _ path: String, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(to: self.address) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var nioHeaders = HTTPHeaders([("Host", "localhost")])
            for field in headers {
                nioHeaders.add(name: field.name.rawName, value: field.value)
            }
            if let body, !headers.contains(where: { $0.name == .transferEncoding }) {
                nioHeaders.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
            }
            var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method.rawValue), uri: path, headers: nioHeaders)
            head.headers.replaceOrAdd(name: "Connection", value: "close")
            // One write: for a request without a body the server may answer and close before a later `.end` write.
            var parts: [HTTPClientRequestPart] = [.head(head)]
            if let body { parts.append(.body(.byteBuffer(body))) }
            parts.append(.end(nil))
            try await outbound.write(contentsOf: parts)

            var response: HTTPResponse?
            var collected = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let responseHead):
                    var fields = HTTPFields()
                    for (name, value) in responseHead.headers {
                        if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
                    }
                    response = HTTPResponse(
                        status: .init(code: Int(responseHead.status.code), reasonPhrase: responseHead.status.reasonPhrase), headerFields: fields)
                case .body(var chunk):
                    collected.writeBuffer(&chunk)
                case .end:
                    guard let response else { throw LiveTestClientError() }
                    return TestResponse(head: response, body: collected)
                }
            }
            throw LiveTestClientError()
        }
    }
}

/// The server closed the connection before a whole response arrived.
public struct LiveTestClientError: Error, CustomStringConvertible {
    /// Says what went wrong.
    public var description: String { "The connection closed before a complete response" }
}
