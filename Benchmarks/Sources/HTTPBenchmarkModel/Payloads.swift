/// The fixed payloads of the HTTP benchmark, shared by every Swift app so their bytes match
/// (`node/server.js` writes the same bytes; `run-http.sh` checks that they do).
public enum Payloads {
    /// The `GET /plaintext` body: 13 bytes, `text/plain`.
    public static let plaintext = "Hello, World!"

    /// The `GET /json` value, encoded per request: `{"message":"Hello, World!"}`.
    public static var message: Message { Message(message: "Hello, World!") }
}

/// The `GET /json` body.
public struct Message: Codable, Sendable {
    /// Always `Hello, World!` in the benchmark.
    public var message: String

    /// Creates a message.
    /// - Parameter message: The text.
    public init(message: String) {
        self.message = message
    }
}
