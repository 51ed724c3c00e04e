/// Something that answers requests: a route's handler, a middleware chain, the router itself.
public protocol HTTPResponder<Context>: Sendable {
    /// The request context type.
    associatedtype Context: RequestContext

    /// Answers a request.
    func respond(to request: Request, context: Context) async throws -> Response
}

/// A responder made from a closure.
public struct ClosureResponder<Context: RequestContext>: HTTPResponder {
    private let closure: @Sendable (Request, Context) async throws -> Response

    /// Creates a responder that calls `closure`.
    public init(_ closure: @escaping @Sendable (Request, Context) async throws -> Response) {
        self.closure = closure
    }

    /// Calls the closure.
    public func respond(to request: Request, context: Context) async throws -> Response {
        try await self.closure(request, context)
    }
}
