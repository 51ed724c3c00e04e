import Foundation
import HTTPTypes
import JaanHTTP
import JaanPool
import JaanPostgres
import Logging
import NIOCore

/// Requires a valid bearer session: sets the context's user, or answers 401.
///
/// A session the database confirmed less than the cache's time-to-live ago is taken from
/// ``SessionCache`` without a statement; see there for how a logout takes effect.
struct SessionMiddleware: Middleware {
    typealias Context = AppContext
    let client: PostgresClient
    let sessions: SessionCache<ContinuousClock>

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw Self.unauthorized
        }
        let hash = SessionToken.hash(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        var context = context
        context.user = try await user(for: hash)
        context.sessionHash = hash
        return try await next(request, context)
    }

    private func user(for hash: Data) async throws -> UserRecord {
        if let user = sessions.user(for: hash) { return user }
        let rows = try await client.query(Queries.sessionUser(tokenHash: hash))
        guard let row = rows.first else { throw Self.unauthorized }
        let user = try row.decode(UserRecord.self, keyDecodingStrategy: .convertFromSnakeCase)
        let expiresAt = try row.decode(Date.self, at: 4)
        sessions.store(user, for: hash, expiresIn: .seconds(expiresAt.timeIntervalSinceNow))
        return user
    }

    static let unauthorized = HTTPError(.unauthorized, message: "Invalid or missing session token", headers: [.wwwAuthenticate: "Bearer"])
}
