import HTTPTypes

/// The compiled form of a ``Router``: finds the route for each request and runs its middleware chain.
public struct RouterResponder<Context: RequestContext>: HTTPResponder {
    private let trie: RouteTrie<Context>
    /// Answers requests that match no route or no method, inside the router's middleware.
    private let unmatched: ChainStep<Context>

    init(routes: [Router<Context>.RouteEntry], middlewares: [any Middleware<Context>]) {
        let builder = RouteTrieBuilder<Context>()
        for route in routes {
            builder.insert(route.pattern, method: route.method, chain: (middlewares + route.middlewares).folded(around: route.handler))
        }
        self.trie = builder.build()
        self.unmatched = middlewares.folded(around: ChainStep { request, context in try Self.answerUnmatched(request, context: context) })
    }

    /// Routes the request and answers it.
    nonisolated(nonsending) public func respond(to request: Request, context: Context) async throws -> Response {
        var context = context
        var captures: [Substring] = []
        guard let endpoint = self.trie.match(request.path, captures: &captures) else {
            return try await self.unmatched.run(request, context)
        }
        context.core.route = endpoint.pattern
        for (name, raw) in zip(endpoint.captureNames, captures) {
            guard let value = PercentDecoding.decode(raw, plusIsSpace: false) else {
                throw HTTPError(.badRequest, message: "Malformed percent-encoding in the path")
            }
            context.core.parameters.append(name: name, value: value)
        }
        if let chain = endpoint.chain(for: request.method) ?? (request.method == .head ? endpoint.chain(for: .get) : nil) {
            return try await chain.run(request, context)
        }
        context.core.allowedMethods = endpoint.allowed
        return try await self.unmatched.run(request, context)
    }

    /// Answers 404 for an unknown path; for a known path, 405 with `Allow`, or 204 with `Allow` to `OPTIONS`.
    private static func answerUnmatched(_ request: Request, context: Context) throws -> Response {
        guard let allowed = context.core.allowedMethods else {
            throw HTTPError(.notFound)
        }
        if request.method == .options {
            return Response(status: .noContent, headers: [.allow: allowed])
        }
        throw HTTPError(.methodNotAllowed, headers: [.allow: allowed])
    }
}
