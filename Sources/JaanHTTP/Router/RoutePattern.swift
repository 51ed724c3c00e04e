/// A route path, parsed into segments.
struct RoutePattern: Sendable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        /// Matches exactly this text.
        case literal(String)
        /// Matches one segment and captures it under a name.
        case parameter(String)
        /// Matches any one segment.
        case wildcard
        /// Matches the rest of the path, captured as ``Parameters/tailName``.
        case tail
    }

    let segments: [Segment]

    init(_ path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        self.segments = parts.enumerated().map { offset, part in
            switch part {
            case "*": return .wildcard
            case "**":
                precondition(offset == parts.count - 1, "`**` must be the last segment of \(path)")
                return .tail
            default:
                if part.first == ":" {
                    precondition(part.count > 1, "A parameter needs a name in \(path)")
                    return .parameter(String(part.dropFirst()))
                }
                return .literal(String(part))
            }
        }
    }

    /// The names under which matched values are captured, in path order.
    var captureNames: [String] {
        self.segments.compactMap {
            switch $0 {
            case .parameter(let name): name
            case .tail: Parameters.tailName
            case .literal, .wildcard: nil
            }
        }
    }

    /// The pattern as written, normalised: `/users/:id`.
    var description: String {
        "/"
            + self.segments.map {
                switch $0 {
                case .literal(let text): text
                case .parameter(let name): ":" + name
                case .wildcard: "*"
                case .tail: "**"
                }
            }.joined(separator: "/")
    }

    /// Joins a group prefix and a path.
    static func join(_ prefix: String, _ path: String) -> String {
        prefix.split(separator: "/").joined(separator: "/") + "/" + path.split(separator: "/").joined(separator: "/")
    }
}
