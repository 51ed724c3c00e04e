import Foundation
import HTTPTypes
import JaanHTTP
import JaanPool
import JaanPostgres
import Logging
import NIOCore

/// The request context of the API: snake_case JSON both ways, and the signed-in user once the
/// session middleware has checked the bearer token.
struct AppContext: RequestContext {
    var core: CoreRequestContext
    /// The user whose session token the request carried; set by ``SessionMiddleware``.
    var user: UserRecord?
    /// The SHA-256 of the request's session token; set with ``user``.
    var sessionHash: Data?

    init(source: RequestContextSource) {
        self.core = CoreRequestContext(source: source)
    }

    private static let encoder: JSONResponseEncoder = {
        var configuration = JSONResponseEncoder.Configuration()
        configuration.keyEncodingStrategy = .convertToSnakeCase
        return JSONResponseEncoder(configuration: configuration)
    }()

    var responseEncoder: JSONResponseEncoder { Self.encoder }

    var requestDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    /// The signed-in user; 401 when the route was reached without one.
    func requireUser() throws -> UserRecord {
        guard let user else { throw HTTPError(.unauthorized, message: "Authentication required") }
        return user
    }
}
