/// The decoded `name=value` pairs of a query string, in order.
///
/// ```swift
/// let limit = request.query["limit"].flatMap(Int.init) ?? 20
/// ```
public struct QueryParameters: Sendable, Sequence {
    /// The pairs, percent-decoded, with `+` read as a space.
    public let pairs: [(name: String, value: String)]

    /// Parses a raw query string (the part after `?`).
    ///
    /// The string is split on its bytes: `&` and `=` are ASCII, so no grapheme breaking is needed.
    public init(_ query: Substring) {
        var pairs: [(name: String, value: String)] = []
        for component in query.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            if let equals = component.firstIndex(of: UInt8(ascii: "=")) {
                let value = component[component.index(after: equals)...]
                pairs.append((Self.decode(component[..<equals]), Self.decode(value)))
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

    private static func decode(_ component: Substring.UTF8View.SubSequence) -> String {
        let component = Substring(component)
        return PercentDecoding.decode(component, plusIsSpace: true) ?? String(component)
    }
}
