/// Resumes the rest of the chain on a task executor of your choosing instead of the connection's event loop.
///
/// Give it the executor of a client that has threads of its own, and the routes behind it resume where that client
/// wakes them. JaanPostgres's `PostgresClient.taskExecutor` is one: a statement's answer then resumes the handler
/// on the thread that saw it arrive, instead of waking the event loop for it, and the decoding and encoding that
/// follow leave the loop free for reading and writing sockets.
///
/// ```swift
/// let api = router.group("/api/v1").add(middleware: TaskExecutorMiddleware(database.taskExecutor))
/// ```
///
/// The chain behind it starts on the caller's executor, with no hop, and moves to `executor` at its first suspension
/// (a statement sent, a body read); a route that never suspends stays on the event loop. Once the chain behind it
/// returns, the middleware before it runs on the connection's executor again. Middleware that must run on the event
/// loop, such as a request deadline, goes before it.
public struct TaskExecutorMiddleware<Context: RequestContext>: Middleware {
    /// The executor the rest of the chain prefers.
    public let executor: any TaskExecutor

    /// Creates the middleware.
    ///
    /// - Parameter executor: The executor the rest of the chain runs on.
    public init(_ executor: any TaskExecutor) {
        self.executor = executor
    }

    /// Calls `next` with a preference for ``executor``.
    nonisolated(nonsending) public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        try await withTaskExecutorPreference(self.executor) {
            try await next(request, context)
        }
    }
}
