import HTTPTypes

/// The values a route captured from the request path: `:name` segments, and the `*`/`**` wildcards.
///
/// ```swift
/// router.get("/users/:id") { request, context in
///     let id = try context.parameters.require("id", as: Int.self)
/// }
/// ```
public struct Parameters: Sendable {
    /// The name under which a `**` tail is captured.
    public static let tailName = "**"

    private var storage: [(name: String, value: String)] = []

    /// Creates an empty set of parameters.
    public init() {}

    /// The value captured as `name`, percent-decoded.
    public subscript(name: String) -> String? {
        self.storage.last { $0.name == name }?.value
    }

    /// The value captured as `name`.
    ///
    /// - Throws: ``HTTPError`` 400 when the route has no such parameter or its value is empty.
    public func require(_ name: String) throws -> String {
        guard let value = self[name], !value.isEmpty else {
            throw HTTPError(.badRequest, message: "Missing path parameter \(name)")
        }
        return value
    }

    /// The value captured as `name`, converted to `T`.
    ///
    /// - Throws: ``HTTPError`` 400 when the value is missing or does not convert.
    public func require<T: LosslessStringConvertible>(_ name: String, as type: T.Type) throws -> T {
        guard let value = T(try self.require(name)) else {
            throw HTTPError(.badRequest, message: "Invalid path parameter \(name)")
        }
        return value
    }

    /// The whole path after a `**` segment.
    public var tail: String? { self[Self.tailName] }

    mutating func append(name: String, value: String) {
        self.storage.append((name, value))
    }

    mutating func removeLast() {
        self.storage.removeLast()
    }
}
