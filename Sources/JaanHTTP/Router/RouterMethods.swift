public import HTTPTypes

/// The route registration methods shared by ``Router`` and ``RouterGroup``.
///
/// Paths are segments separated by `/`: static text, `:name` to capture one segment as a parameter,
/// `*` to match any one segment, and `**` as the last segment to match the rest of the path.
public protocol RouterMethods<Context> {
    /// The request context type.
    associatedtype Context: RequestContext

    /// Adds a route for `method` at `path`.
    @discardableResult
    func on<Output: ResponseGenerator>(
        _ path: String,
        method: HTTPRequest.Method,
        use handler: nonisolated(nonsending) @escaping @Sendable (Request, Context) async throws -> Output
    ) -> Self

    /// Adds a middleware that runs around the routes added after it here.
    @discardableResult
    func add(middleware: some Middleware<Context>) -> Self

    /// A group of routes under `prefix`, with middleware of its own.
    func group(_ prefix: String) -> RouterGroup<Context>
}

extension RouterMethods {
    /// Adds a `GET` route; `HEAD` requests are answered from it, without the body.
    @discardableResult
    public func get<Output: ResponseGenerator>(
        _ path: String = "",
        use handler: nonisolated(nonsending) @escaping @Sendable (Request, Context) async throws -> Output
    ) -> Self {
        self.on(path, method: .get, use: handler)
    }

    /// Adds a `POST` route.
    @discardableResult
    public func post<Output: ResponseGenerator>(
        _ path: String = "",
        use handler: nonisolated(nonsending) @escaping @Sendable (Request, Context) async throws -> Output
    ) -> Self {
        self.on(path, method: .post, use: handler)
    }

    /// Adds a `PUT` route.
    @discardableResult
    public func put<Output: ResponseGenerator>(
        _ path: String = "",
        use handler: nonisolated(nonsending) @escaping @Sendable (Request, Context) async throws -> Output
    ) -> Self {
        self.on(path, method: .put, use: handler)
    }

    /// Adds a `PATCH` route.
    @discardableResult
    public func patch<Output: ResponseGenerator>(
        _ path: String = "",
        use handler: nonisolated(nonsending) @escaping @Sendable (Request, Context) async throws -> Output
    ) -> Self {
        self.on(path, method: .patch, use: handler)
    }

    /// Adds a `DELETE` route.
    @discardableResult
    public func delete<Output: ResponseGenerator>(
        _ path: String = "",
        use handler: nonisolated(nonsending) @escaping @Sendable (Request, Context) async throws -> Output
    ) -> Self {
        self.on(path, method: .delete, use: handler)
    }

    /// Adds a `HEAD` route, replacing the answer derived from `GET`.
    @discardableResult
    public func head<Output: ResponseGenerator>(
        _ path: String = "",
        use handler: nonisolated(nonsending) @escaping @Sendable (Request, Context) async throws -> Output
    ) -> Self {
        self.on(path, method: .head, use: handler)
    }

    /// Adds an `OPTIONS` route.
    @discardableResult
    public func options<Output: ResponseGenerator>(
        _ path: String = "",
        use handler: nonisolated(nonsending) @escaping @Sendable (Request, Context) async throws -> Output
    ) -> Self {
        self.on(path, method: .options, use: handler)
    }
}

/// Turns a route handler into the last step of its chain.
func makeHandlerStep<Context: RequestContext, Output: ResponseGenerator>(
    _ handler: nonisolated(nonsending) @escaping @Sendable (Request, Context) async throws -> Output
) -> ChainStep<Context> {
    ChainStep { request, context in try await handler(request, context).response(from: request, context: context) }
}
