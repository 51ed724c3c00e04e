public import HTTPTypes

/// An HTTP response: the head as a swift-http-types value and a body of complete bytes or a stream.
public struct Response: Sendable {
    /// The status and header fields.
    public var head: HTTPResponse
    /// The body.
    public var body: ResponseBody

    /// Creates a response from its head and body.
    public init(head: HTTPResponse, body: ResponseBody = .init()) {
        self.head = head
        self.body = body
    }

    /// Creates a response with a status, header fields and a body.
    public init(status: HTTPResponse.Status, headers: HTTPFields = [:], body: ResponseBody = .init()) {
        self.head = HTTPResponse(status: status, headerFields: headers)
        self.body = body
    }

    /// The response status.
    public var status: HTTPResponse.Status {
        get { self.head.status }
        set { self.head.status = newValue }
    }

    /// The response header fields.
    public var headers: HTTPFields {
        get { self.head.headerFields }
        set { self.head.headerFields = newValue }
    }
}
