import Foundation
import HTTPTypes
import JaanHTTP
import JaanPool
import JaanPostgres
import Logging
import NIOCore

/// Requires a valid bearer session: sets the context's user, or answers 401.
struct SessionMiddleware: Middleware {
    typealias Context = AppContext
    let client: PostgresClient

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw Self.unauthorized
        }
        let hash = SessionToken.hash(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        let rows = try await client.query(Queries.sessionUser(tokenHash: hash))
        guard let row = rows.first else { throw Self.unauthorized }
        var context = context
        context.user = try row.decode(UserRecord.self, keyDecodingStrategy: .convertFromSnakeCase)
        context.sessionHash = hash
        return try await next(request, context)
    }

    static let unauthorized = HTTPError(.unauthorized, message: "Invalid or missing session token", headers: [.wwwAuthenticate: "Bearer"])
}
