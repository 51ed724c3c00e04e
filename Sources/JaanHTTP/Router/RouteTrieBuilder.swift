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
        var responders: [HTTPRequest.Method: any HTTPResponder<Context>] = [:]

        init(pattern: RoutePattern) {
            self.pattern = pattern.description
            self.captureNames = pattern.captureNames
        }
    }

    private let root = MutableNode()

    /// Adds a route's folded responder.
    func insert(_ pattern: RoutePattern, method: HTTPRequest.Method, responder: any HTTPResponder<Context>) {
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
        precondition(endpoint.responders[method] == nil, "Route \(method) \(pattern) is registered twice")
        endpoint.responders[method] = responder
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
        var methods = Set(endpoint.responders.keys.map(\.rawValue))
        if methods.contains("GET") { methods.insert("HEAD") }
        methods.insert("OPTIONS")
        return RouteTrie<Context>.Endpoint(
            pattern: endpoint.pattern,
            captureNames: endpoint.captureNames,
            responders: endpoint.responders.map { (method: $0.key, responder: $0.value) },
            allowed: methods.sorted().joined(separator: ", ")
        )
    }
}
