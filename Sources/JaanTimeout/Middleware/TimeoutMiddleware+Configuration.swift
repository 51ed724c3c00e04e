extension TimeoutMiddleware {
    /// The settings of a ``TimeoutMiddleware``.
    public struct Configuration: Sendable {
        /// How long a request may take, from the moment the middleware runs until its response, streamed body
        /// included, is sent. `nil` exempts the routes from deadlines, also from one set further out.
        /// Defaults to 60 seconds, the original deployment's request timeout.
        public var timeout: Duration? = .seconds(60)

        /// How long the 503 asks the client to wait before it retries, sent as `Retry-After` in whole seconds
        /// (rounded up). Defaults to 5 seconds.
        public var retryAfter: Duration = .seconds(5)

        /// Creates the default configuration; change what you need through the properties.
        public init() {}

        /// The `Retry-After` field value.
        var retryAfterValue: String {
            let (seconds, attoseconds) = self.retryAfter.components
            return String(max(0, attoseconds > 0 ? seconds + 1 : seconds))
        }
    }
}
