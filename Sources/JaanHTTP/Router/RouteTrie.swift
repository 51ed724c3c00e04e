import HTTPTypes

/// The routes of a router as a tree of path segments, built once and then only read.
///
/// Matching prefers a literal segment to a parameter, a parameter to `*`, and `*` to `**`, and backtracks when a
/// preferred branch fails deeper down.
struct RouteTrie<Context: RequestContext>: Sendable {
    /// What a path leads to: its pattern and a responder per method.
    struct Endpoint: Sendable {
        let pattern: String
        let captureNames: [String]
        let responders: [HTTPRequest.Method: any HTTPResponder<Context>]
        /// The methods to list in `Allow`.
        let allowed: String
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
        var segments: [Substring] = []
        segments.reserveCapacity(8)
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            segments.append(segment)
        }
        return Self.match(segments[...], path: path, node: self.root, captures: &captures)
    }

    private static func match(_ segments: ArraySlice<Substring>, path: Substring, node: Node, captures: inout [Substring]) -> Endpoint? {
        guard let segment = segments.first else {
            if let endpoint = node.endpoint { return endpoint }
            if let tail = node.tail {
                captures.append("")
                return tail
            }
            return nil
        }
        let rest = segments.dropFirst()
        if let child = node.literals[segment], let found = match(rest, path: path, node: child, captures: &captures) {
            return found
        }
        if let child = node.parameter {
            captures.append(segment)
            if let found = match(rest, path: path, node: child, captures: &captures) { return found }
            captures.removeLast()
        }
        if let child = node.wildcard, let found = match(rest, path: path, node: child, captures: &captures) {
            return found
        }
        if let tail = node.tail {
            captures.append(path[segment.startIndex...])
            return tail
        }
        return nil
    }
}
