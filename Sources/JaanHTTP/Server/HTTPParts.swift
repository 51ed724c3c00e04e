import HTTPTypes
import NIOCore
import NIOHTTP1

/// What the channel handler passes to a connection's task.
enum InboundHTTPPart: Sendable {
    /// A request head; `body` holds the body bytes that came with it, and `isComplete` says whether that is all.
    case request(HTTPRequest, RequestFrame, body: ByteBuffer?, isComplete: Bool)
    /// The next chunk of the current request's body.
    case body(ByteBuffer)
    /// The end of the current request's body.
    case end
    /// The request cannot be served (malformed, too large, too slow): answer with this status and close.
    case rejected(HTTPResponse.Status)
}

/// What a connection's task writes to the channel handler.
enum OutboundHTTPPart: Sendable {
    /// A whole response: head, complete body, end.
    case complete(HTTPResponse, ResponseFrame, body: ByteBuffer?)
    /// The head of a streamed response.
    case head(HTTPResponse, ResponseFrame)
    /// A chunk of a streamed response body.
    case body(ByteBuffer)
    /// The end of a streamed response.
    case end
}

/// How a request arrived.
struct RequestFrame: Sendable {
    var version: HTTPVersion
    var keepAlive: Bool
}

/// How a response is sent.
struct ResponseFrame: Sendable {
    enum BodyFraming: Sendable {
        /// `Content-Length` is set; the body is written as is.
        case contentLength
        /// `Transfer-Encoding: chunked`.
        case chunked
        /// The body ends when the connection closes (HTTP/1.0 with no length).
        case closeDelimited
        /// No body may follow (HEAD, 204, 304).
        case none
    }

    var version: HTTPVersion
    var framing: BodyFraming
    /// Sent as `Content-Length` when known (also for HEAD, where no body follows).
    var contentLength: Int?
    var keepAlive: Bool
}
