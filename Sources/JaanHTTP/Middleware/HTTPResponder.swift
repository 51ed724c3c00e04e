/// Something that answers requests: a route's handler, a middleware chain, the router itself.
public protocol HTTPResponder<Context>: Sendable {
    /// The request context type.
    associatedtype Context: RequestContext

    /// Answers a request, on the caller's executor (the connection's event loop, in the server).
    nonisolated(nonsending) func respond(to request: Request, context: Context) async throws -> Response
}

/// A responder made from a closure.
public struct ClosureResponder<Context: RequestContext>: HTTPResponder {
    private let closure: nonisolated(nonsending) @Sendable (Request, Context) async throws -> Response

    /// Creates a responder that calls `closure`.
    public init(_ closure: nonisolated(nonsending) @escaping @Sendable (Request, Context) async throws -> Response) {
        self.closure = closure
    }

    /// Calls the closure.
    nonisolated(nonsending) public func respond(to request: Request, context: Context) async throws -> Response {
        try await self.closure(request, context)
    }
}
