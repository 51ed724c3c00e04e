/// Code that runs around a responder: it sees the request and the context first, may answer itself,
/// and may change the request it passes to `next` and the response `next` returns, streamed bodies included.
///
/// ```swift
/// struct ServerHeader<Context: RequestContext>: Middleware {
///     func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
///         var response = try await next(request, context)
///         response.headers[.server] = "Jaan"
///         return response
///     }
/// }
/// ```
/// Chains are folded into responders once, when the router is built, not per request.
///
/// The chain runs on the executor of the connection's task, the connection's event loop: responders and middleware
/// are `nonisolated(nonsending)`, so no call along the chain checks or changes executors. A `handle` declared as a
/// plain `func`, as above, works too; declaring it `nonisolated(nonsending)` spares the executor check on entry.
public protocol Middleware<Context>: Sendable {
    /// The request context type.
    associatedtype Context: RequestContext

    /// Handles a request, calling `next` for the rest of the chain when it should go on.
    nonisolated(nonsending) func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response
}

/// A middleware and the responder it runs before.
struct MiddlewareResponder<Context: RequestContext>: HTTPResponder {
    let middleware: any Middleware<Context>
    let next: any HTTPResponder<Context>

    nonisolated(nonsending) func respond(to request: Request, context: Context) async throws -> Response {
        try await self.middleware.handle(request, context: context) { request, context in
            try await self.next.respond(to: request, context: context)
        }
    }
}

extension Array {
    /// Folds middleware, first outermost, around `endpoint`.
    func folded<Context: RequestContext>(around endpoint: any HTTPResponder<Context>) -> any HTTPResponder<Context>
    where Element == any Middleware<Context> {
        self.reversed().reduce(endpoint) { next, middleware in
            MiddlewareResponder(middleware: middleware, next: next)
        }
    }
}
