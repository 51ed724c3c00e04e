import HTTPTypes

/// Builds a ``RouteTrie`` from registered routes.
struct RouteTrieBuilder<Context: RequestContext> {
    private final class MutableNode {
        var literals: [Substring: MutableNode] = [:]
        var parameter: MutableNode?
        var wildcard: MutableNode?
        var tail: MutableEndpoint?
        var endpoint: MutableEndpoint?
    }

    private final class MutableEndpoint {
        let pattern: String
        let captureNames: [String]
        var chains: [HTTPRequest.Method: ChainStep<Context>] = [:]

        init(pattern: RoutePattern) {
            self.pattern = pattern.description
            self.captureNames = pattern.captureNames
        }
    }

    private let root = MutableNode()

    /// Adds a route's folded chain.
    func insert(_ pattern: RoutePattern, method: HTTPRequest.Method, chain: ChainStep<Context>) {
        var node = self.root
        var endpointSlot: MutableEndpoint?
        for segment in pattern.segments {
            switch segment {
            case .literal(let text):
                let child = node.literals[text[...]] ?? MutableNode()
                node.literals[text[...]] = child
                node = child
            case .parameter:
                let child = node.parameter ?? MutableNode()
                node.parameter = child
                node = child
            case .wildcard:
                let child = node.wildcard ?? MutableNode()
                node.wildcard = child
                node = child
            case .tail:
                let endpoint = node.tail ?? MutableEndpoint(pattern: pattern)
                node.tail = endpoint
                endpointSlot = endpoint
            }
        }
        let endpoint: MutableEndpoint
        if let endpointSlot {
            endpoint = endpointSlot
        } else {
            endpoint = node.endpoint ?? MutableEndpoint(pattern: pattern)
            node.endpoint = endpoint
        }
        precondition(
            endpoint.captureNames == pattern.captureNames,
            "Routes \(endpoint.pattern) and \(pattern) name their parameters differently"
        )
        precondition(endpoint.chains[method] == nil, "Route \(method) \(pattern) is registered twice")
        endpoint.chains[method] = chain
    }

    /// The finished, read-only tree.
    func build() -> RouteTrie<Context> {
        RouteTrie(root: Self.freeze(self.root))
    }

    private static func freeze(_ node: MutableNode) -> RouteTrie<Context>.Node {
        RouteTrie<Context>.Node(
            literals: node.literals.mapValues(freeze),
            parameter: node.parameter.map(freeze),
            wildcard: node.wildcard.map(freeze),
            tail: node.tail.map(freeze),
            endpoint: node.endpoint.map(freeze)
        )
    }

    private static func freeze(_ endpoint: MutableEndpoint) -> RouteTrie<Context>.Endpoint {
        var methods = Set(endpoint.chains.keys.map(\.rawValue))
        if methods.contains("GET") { methods.insert("HEAD") }
        methods.insert("OPTIONS")
        return RouteTrie<Context>.Endpoint(
            pattern: endpoint.pattern,
            captureNames: endpoint.captureNames,
            chains: endpoint.chains.map { (method: $0.key, chain: $0.value) },
            allowed: methods.sorted().joined(separator: ", ")
        )
    }
}
