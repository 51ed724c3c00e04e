/// The decoded `name=value` pairs of a query string, in order.
///
/// ```swift
/// let limit = request.query["limit"].flatMap(Int.init) ?? 20
/// ```
public struct QueryParameters: Sendable, Sequence {
    /// The pairs, percent-decoded, with `+` read as a space.
    public let pairs: [(name: String, value: String)]

    /// Parses a raw query string (the part after `?`).
    public init(_ query: Substring) {
        var pairs: [(name: String, value: String)] = []
        for component in query.split(separator: "&", omittingEmptySubsequences: true) {
            if let equals = component.firstIndex(of: "=") {
                pairs.append((Self.decode(component[..<equals]), Self.decode(component[component.index(after: equals)...])))
            } else {
                pairs.append((Self.decode(component), ""))
            }
        }
        self.pairs = pairs
    }

    /// The first value given for `name`, or `nil`.
    public subscript(name: String) -> String? {
        self.pairs.first { $0.name == name }?.value
    }

    /// Every value given for `name`, in order.
    public func all(_ name: String) -> [String] {
        self.pairs.filter { $0.name == name }.map(\.value)
    }

    /// Iterates over the pairs in order.
    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        self.pairs.makeIterator()
    }

    private static func decode(_ component: Substring) -> String {
        PercentDecoding.decode(component, plusIsSpace: true) ?? String(component)
    }
}
