public import HTTPTypes

/// An HTTP request as a handler sees it: the head as a swift-http-types value and a streamed body.
public struct Request: Sendable {
    /// The request line and header fields.
    public var head: HTTPRequest
    /// The request body, streamed from the connection or already complete.
    public var body: RequestBody

    /// Creates a request from its head and body.
    public init(head: HTTPRequest, body: RequestBody = .init()) {
        self.head = head
        self.body = body
    }

    /// The request method.
    public var method: HTTPRequest.Method { self.head.method }

    /// The request header fields.
    public var headers: HTTPFields { self.head.headerFields }

    /// The path of the request target, without the query string (`/users/42` for `/users/42?full=1`).
    public var path: Substring {
        let target = self.head.path ?? "/"
        guard let question = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return target[...] }
        return target[..<question]
    }

    /// The query parameters of the request target, percent-decoded.
    ///
    /// Parsed on each access: keep it in a local when reading several parameters.
    public var query: QueryParameters {
        let target = self.head.path ?? "/"
        guard let question = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return QueryParameters("") }
        return QueryParameters(target[target.utf8.index(after: question)...])
    }
}
