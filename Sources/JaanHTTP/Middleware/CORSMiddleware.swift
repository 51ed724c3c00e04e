public import HTTPTypes

/// Cross-origin resource sharing: answers browsers' preflight requests and marks responses readable by the
/// allowed origins.
///
/// ```swift
/// router.add(middleware: CORSMiddleware(configuration: .init(allowedOrigins: .list(["https://app.example"]))))
/// ```
/// Add it on the router, so that it answers preflight requests for every path. Requests without `Origin`, and
/// requests from origins not allowed, pass through untouched (the browser then withholds the response).
public struct CORSMiddleware<Context: RequestContext>: Middleware {
    /// Which origins may read responses.
    public struct AllowedOrigins: Sendable {
        enum Kind: Sendable {
            case all
            case list(Set<String>)
        }

        let kind: Kind

        /// Any origin (`*`, or the request's origin when credentials are allowed).
        public static var all: AllowedOrigins { AllowedOrigins(kind: .all) }

        /// Only these origins, compared exactly (`https://app.example`).
        public static func list(_ origins: some Sequence<String>) -> AllowedOrigins {
            AllowedOrigins(kind: .list(Set(origins)))
        }

        func allows(_ origin: String) -> Bool {
            switch self.kind {
            case .all: true
            case .list(let origins): origins.contains(origin)
            }
        }
    }

    /// The middleware's settings.
    public struct Configuration: Sendable {
        /// The origins that may read responses. Defaults to none: list them.
        public var allowedOrigins: AllowedOrigins
        /// The methods a preflight allows. Defaults to GET, HEAD, POST, PUT, PATCH and DELETE.
        public var allowedMethods: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete]
        /// The request header fields a preflight allows. Defaults to `Content-Type`, `Authorization`, `X-Request-Id`.
        public var allowedHeaders: [String] = ["Content-Type", "Authorization", "X-Request-Id"]
        /// Response header fields the browser may show to scripts. Defaults to `X-Request-Id`.
        public var exposedHeaders: [String] = ["X-Request-Id"]
        /// Whether cookies and authorization may be sent (`Access-Control-Allow-Credentials`). Defaults to `false`.
        public var allowCredentials: Bool = false
        /// How long a browser may cache a preflight answer. Defaults to 10 minutes.
        public var maxAge: Duration? = .seconds(600)

        /// Creates a configuration for `allowedOrigins`, with the other defaults.
        public init(allowedOrigins: AllowedOrigins = .list([])) {
            self.allowedOrigins = allowedOrigins
        }
    }

    private let configuration: Configuration
    private let allowMethods: String
    private let allowHeaders: String
    private let exposeHeaders: String

    /// Creates the middleware.
    public init(configuration: Configuration) {
        self.configuration = configuration
        self.allowMethods = configuration.allowedMethods.map(\.rawValue).joined(separator: ", ")
        self.allowHeaders = configuration.allowedHeaders.joined(separator: ", ")
        self.exposeHeaders = configuration.exposedHeaders.joined(separator: ", ")
    }

    /// Answers preflights; adds the CORS header fields to other responses, error responses included.
    nonisolated(nonsending) public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let origin = request.headers[.origin] else {
            return try await next(request, context)
        }
        let allowed = self.configuration.allowedOrigins.allows(origin)
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            var response = Response(status: .noContent)
            response.headers[.vary] = "Origin"
            guard allowed else { return response }
            self.addOriginFields(origin, to: &response.headers)
            response.headers[.accessControlAllowMethods] = self.allowMethods
            response.headers[.accessControlAllowHeaders] = self.allowHeaders
            if let maxAge = self.configuration.maxAge {
                response.headers[.accessControlMaxAge] = String(maxAge.components.seconds)
            }
            return response
        }
        guard allowed else { return try await next(request, context) }
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = ErrorBody.response(for: error, logger: context.logger, allocator: context.allocator)
        }
        self.addOriginFields(origin, to: &response.headers)
        if !self.exposeHeaders.isEmpty {
            response.headers[.accessControlExposeHeaders] = self.exposeHeaders
        }
        return response
    }

    private func addOriginFields(_ origin: String, to headers: inout HTTPFields) {
        if case .all = self.configuration.allowedOrigins.kind, !self.configuration.allowCredentials {
            headers[.accessControlAllowOrigin] = "*"
        } else {
            headers[.accessControlAllowOrigin] = origin
            headers.append(HTTPField(name: .vary, value: "Origin"))
        }
        if self.configuration.allowCredentials {
            headers[.accessControlAllowCredentials] = "true"
        }
    }
}
