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
/// Chains are folded once, when the router is built, not per request.
///
/// The chain runs on the executor of the connection's task, the connection's event loop: responders and middleware
/// are `nonisolated(nonsending)`, so no call along the chain changes executors; each async frame only checks its
/// executor once on the way back. A `handle` declared as a plain `func`, as above, works too; declaring it
/// `nonisolated(nonsending)` spares the executor check on entry. ``TaskExecutorMiddleware`` moves the rest of a chain
/// to another executor.
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

/// A compiled step of a chain: a middleware with everything after it, or a route's handler.
///
/// A step is a closure rather than a responder, so that it is handed straight to the middleware before it as its
/// `next`, where a responder would need a closure of its own around it: every async frame along the chain costs each
/// request a check of its executor on the way back, and on a task with an executor preference that check takes a
/// lock. The closure sits in a struct so that it keeps its own calling convention in arrays and dictionaries, where a
/// bare closure would be called through a reabstraction thunk, one more frame.
struct ChainStep<Context: RequestContext>: Sendable {
    /// Answers a request, on the caller's executor.
    let run: nonisolated(nonsending) @Sendable (Request, Context) async throws -> Response
}

extension Array {
    /// Folds middleware, first outermost, around `endpoint`.
    func folded<Context: RequestContext>(around endpoint: ChainStep<Context>) -> ChainStep<Context>
    where Element == any Middleware<Context> {
        self.reversed().reduce(endpoint) { next, middleware in
            ChainStep { request, context in try await middleware.handle(request, context: context, next: next.run) }
        }
    }
}
