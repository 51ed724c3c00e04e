import HTTPTypes

/// The routes of a router as a tree of path segments, built once and then only read.
///
/// Matching prefers a literal segment to a parameter, a parameter to `*`, and `*` to `**`, and backtracks when a
/// preferred branch fails deeper down.
struct RouteTrie<Context: RequestContext>: Sendable {
    /// What a path leads to: its pattern and a chain per method.
    ///
    /// A class, so that a request that matches it retains one shared object rather than each of its fields: the loop
    /// threads all retain and release what they match, and every count they share is a cache line they take turns at.
    final class Endpoint: Sendable {
        let pattern: String
        let captureNames: [String]
        /// The folded chains by method: a route has few, so a scan beats hashing the method's name.
        let chains: [(method: HTTPRequest.Method, chain: ChainStep<Context>)]
        /// The methods to list in `Allow`.
        let allowed: String

        init(pattern: String, captureNames: [String], chains: [(method: HTTPRequest.Method, chain: ChainStep<Context>)], allowed: String) {
            self.pattern = pattern
            self.captureNames = captureNames
            self.chains = chains
            self.allowed = allowed
        }

        /// The chain for `method`, if the route has one.
        func chain(for method: HTTPRequest.Method) -> ChainStep<Context>? {
            for entry in self.chains where entry.method == method {
                return entry.chain
            }
            return nil
        }
    }

    final class Node: Sendable {
        let literals: [Substring: Node]
        let parameter: Node?
        let wildcard: Node?
        let tail: Endpoint?
        let endpoint: Endpoint?

        init(literals: [Substring: Node], parameter: Node?, wildcard: Node?, tail: Endpoint?, endpoint: Endpoint?) {
            self.literals = literals
            self.parameter = parameter
            self.wildcard = wildcard
            self.tail = tail
            self.endpoint = endpoint
        }
    }

    let root: Node

    /// Finds the endpoint for `path`, appending the captured values to `captures` in path order.
    func match(_ path: Substring, captures: inout [Substring]) -> Endpoint? {
        Self.match(path, from: path.startIndex, node: self.root, captures: &captures)
    }

    /// Matches the part of `path` from `index` on below `node`, reading one segment at a time so that matching
    /// allocates nothing but the captures.
    private static func match(_ path: Substring, from index: Substring.Index, node: Node, captures: inout [Substring]) -> Endpoint? {
        guard let (segment, rest) = Self.segment(of: path, from: index) else {
            if let endpoint = node.endpoint { return endpoint }
            if let tail = node.tail {
                captures.append("")
                return tail
            }
            return nil
        }
        if let child = node.literals[segment], let found = match(path, from: rest, node: child, captures: &captures) {
            return found
        }
        if let child = node.parameter {
            captures.append(segment)
            if let found = match(path, from: rest, node: child, captures: &captures) { return found }
            captures.removeLast()
        }
        if let child = node.wildcard, let found = match(path, from: rest, node: child, captures: &captures) {
            return found
        }
        if let tail = node.tail {
            captures.append(path[segment.startIndex...])
            return tail
        }
        return nil
    }

    /// The first non-empty segment of `path` at or after `index`, and the index just past it; `nil` when none is left.
    private static func segment(of path: Substring, from index: Substring.Index) -> (Substring, Substring.Index)? {
        let bytes = path.utf8
        let slash = UInt8(ascii: "/")
        var start = index
        while start < bytes.endIndex, bytes[start] == slash {
            start = bytes.index(after: start)
        }
        guard start < bytes.endIndex else { return nil }
        var end = start
        while end < bytes.endIndex, bytes[end] != slash {
            end = bytes.index(after: end)
        }
        return (path[start..<end], end)
    }
}
