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

    nonisolated(nonsending) func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization], let token = Self.bearerToken(header) else {
            throw Self.unauthorized
        }
        let hash = SessionToken.hash(token)
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

    /// The token of a `Bearer` authorization (the scheme in any case, blanks around the token
    /// dropped), or `nil` for another scheme or an empty token. Byte-wise: this runs on every request.
    static func bearerToken(_ header: String) -> String? {
        var bytes = Substring(header).utf8[...]
        let scheme = "bearer ".utf8
        guard bytes.count > scheme.count,
            zip(bytes, scheme).allSatisfy({ byte, expected in (byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte) == expected })
        else { return nil }
        bytes = bytes.dropFirst(scheme.count)
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        while let first = bytes.first, isBlank(first) { bytes.removeFirst() }
        while let last = bytes.last, isBlank(last) { bytes.removeLast() }
        return bytes.isEmpty ? nil : String(Substring(bytes))
    }

    static let unauthorized = HTTPError(.unauthorized, message: "Invalid or missing session token", headers: [.wwwAuthenticate: "Bearer"])
}
