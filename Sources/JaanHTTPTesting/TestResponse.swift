public import HTTPTypes
public import NIOCore

/// A response as a test sees it: the head and the whole body.
public struct TestResponse: Sendable {
    /// The status and header fields.
    public var head: HTTPResponse
    /// The body bytes (empty for HEAD, 204 and 304).
    public var body: ByteBuffer

    /// Creates a test response.
    public init(head: HTTPResponse, body: ByteBuffer) {
        self.head = head
        self.body = body
    }

    /// The response status.
    public var status: HTTPResponse.Status { self.head.status }
    /// The response header fields.
    public var headers: HTTPFields { self.head.headerFields }
    /// The body as UTF-8 text.
    public var bodyString: String { String(buffer: self.body) }
}

/// Sends requests to an application under test, in process or over a real socket.
public protocol TestClient: Sendable {
    /// Sends a request and waits for the whole response.
    ///
    /// - Parameters:
    ///   - method: The request method.
    ///   - path: The request target, with its query string.
    ///   - headers: The header fields.
    ///   - body: The body, if any.
    func execute(_ method: HTTPRequest.Method, _ path: String, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse
}

extension TestClient {
    /// Sends a request without header fields or body.
    public func execute(_ method: HTTPRequest.Method, _ path: String) async throws -> TestResponse {
        try await self.execute(method, path, headers: [:], body: nil)
    }

    /// Sends a request with header fields and a text body.
    public func execute(_ method: HTTPRequest.Method, _ path: String, headers: HTTPFields = [:], body: String) async throws -> TestResponse {
        try await self.execute(method, path, headers: headers, body: ByteBuffer(string: body))
    }
}
