public import HTTPTypes
public import NIOCore

/// A value a route handler can return: the router turns it into a ``Response``.
public protocol ResponseGenerator: SendableMetatype {
    /// Makes the response for `request`.
    func response(from request: Request, context: some RequestContext) throws -> Response
}

extension Response: ResponseGenerator {
    /// The response itself.
    public func response(from request: Request, context: some RequestContext) throws -> Response { self }
}

extension String: ResponseGenerator {
    /// A `200 OK` with the string as a `text/plain; charset=utf-8` body.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        // Room for the server's X-Request-Id too, so that adding it does not copy the fields.
        headers.reserveCapacity(2)
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(buffer: ByteBuffer(string: self)))
    }
}

extension ByteBuffer: ResponseGenerator {
    /// A `200 OK` with the bytes as an `application/octet-stream` body.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: ResponseBody(buffer: self))
    }
}

extension HTTPResponse.Status: ResponseGenerator {
    /// A response with this status and an empty body.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: self)
    }
}

extension Optional: ResponseGenerator where Wrapped: ResponseGenerator {
    /// The wrapped value's response, or `204 No Content` for `nil`.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        switch self {
        case .some(let wrapped): try wrapped.response(from: request, context: context)
        case .none: Response(status: .noContent)
        }
    }
}
