public import HTTPTypes

/// Maps requests to handlers by method and path, through middleware.
///
/// ```swift
/// let router = Router()
/// router.add(middleware: CORSMiddleware(allowedOrigins: .all))
/// router.get("/users/:id") { request, context in
///     try context.parameters.require("id")
/// }
/// let api = router.group("/api/v1").add(middleware: AuthMiddleware())
/// api.post("/messages") { request, context in ... }
/// ```
/// Register everything before the server starts: ``buildResponder()`` compiles the routes into a tree and folds
/// every middleware chain once. Middleware added on the router runs for every request, also those that match
/// no route (404, 405), after the route is found, so it can read ``RequestContext/route``.
public final class Router<Context: RequestContext>: RouterMethods {
    struct RouteEntry {
        let method: HTTPRequest.Method
        let pattern: RoutePattern
        let middlewares: [any Middleware<Context>]
        let handler: ChainStep<Context>
    }

    private(set) var routes: [RouteEntry] = []
    private var middlewares: [any Middleware<Context>] = []

    /// Creates an empty router for requests with context `Context`.
    public init(context: Context.Type = BasicRequestContext.self) {}

    /// Adds a route for `method` at `path`.
    @discardableResult
    public func on<Output: ResponseGenerator>(
        _ path: String,
        method: HTTPRequest.Method,
        use handler: nonisolated(nonsending) @escaping @Sendable (Request, Context) async throws -> Output
    ) -> Self {
        self.addRoute(path, method: method, middlewares: [], handler: makeHandlerStep(handler))
        return self
    }

    /// Adds a middleware that runs around every request, in the order added.
    @discardableResult
    public func add(middleware: some Middleware<Context>) -> Self {
        self.middlewares.append(middleware)
        return self
    }

    /// A group of routes under `prefix`, with middleware of its own.
    public func group(_ prefix: String = "") -> RouterGroup<Context> {
        RouterGroup(prefix: prefix, router: self)
    }

    func addRoute(_ path: String, method: HTTPRequest.Method, middlewares: [any Middleware<Context>], handler: ChainStep<Context>) {
        self.routes.append(RouteEntry(method: method, pattern: RoutePattern(path), middlewares: middlewares, handler: handler))
    }

    /// Compiles the routes and middleware into the responder a server runs.
    ///
    /// - Precondition: No two routes share a method and a pattern.
    public func buildResponder() -> RouterResponder<Context> {
        RouterResponder(routes: self.routes, middlewares: self.middlewares)
    }
}

/// A group of routes sharing a path prefix and middleware; made with ``RouterMethods/group(_:)``.
///
/// Middleware added to a group runs, in order, around the group's routes added after it, inside the middleware of
/// the groups and router it belongs to. A group with an empty prefix gives one route middleware of its own.
public final class RouterGroup<Context: RequestContext>: RouterMethods {
    private let prefix: String
    private let router: Router<Context>
    private var middlewares: [any Middleware<Context>]

    init(prefix: String, router: Router<Context>, middlewares: [any Middleware<Context>] = []) {
        self.prefix = prefix
        self.router = router
        self.middlewares = middlewares
    }

    /// Adds a route for `method` at `path` under the group's prefix.
    @discardableResult
    public func on<Output: ResponseGenerator>(
        _ path: String,
        method: HTTPRequest.Method,
        use handler: nonisolated(nonsending) @escaping @Sendable (Request, Context) async throws -> Output
    ) -> Self {
        self.router.addRoute(
            RoutePattern.join(self.prefix, path),
            method: method,
            middlewares: self.middlewares,
            handler: makeHandlerStep(handler)
        )
        return self
    }

    /// Adds a middleware that runs around the group's routes added after it.
    @discardableResult
    public func add(middleware: some Middleware<Context>) -> Self {
        self.middlewares.append(middleware)
        return self
    }

    /// A nested group under this group's prefix, inheriting its middleware.
    public func group(_ prefix: String = "") -> RouterGroup<Context> {
        RouterGroup(prefix: RoutePattern.join(self.prefix, prefix), router: self.router, middlewares: self.middlewares)
    }
}
