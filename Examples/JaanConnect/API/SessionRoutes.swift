import Foundation
import HTTPTypes
import JaanHTTP
import JaanPool
import JaanPostgres
import Logging
import NIOCore

/// Logging in (a new bearer token) and out.
struct SessionRoutes: Sendable {
    let client: PostgresClient
    let hasher: PasswordHasher
    let sessions: SessionCache<ContinuousClock>

    struct Login: Decodable {
        var email: String
        var password: String
    }

    struct Session: Encodable, Sendable {
        var token: String
        var tokenType = "Bearer"
        var expiresAt: Date
        var user: UserRecord
    }

    private struct Account: Decodable {
        var id: Int
        var email: String
        var name: String
        var createdAt: Date
        var passwordHash: String
    }

    func addPublic(to group: RouterGroup<AppContext>) {
        group.post("/sessions") { request, context in try await login(request, context) }
    }

    func addAuthenticated(to group: RouterGroup<AppContext>) {
        group.delete("/sessions/current") { _, context in
            if let hash = context.sessionHash {
                // Revoked before the delete, so no lookup racing it can cache the session again,
                // and after it, so the refusal lasts a full time-to-live past the commit.
                sessions.revoke(hash)
                try await client.query("DELETE FROM sessions WHERE token_hash = \(hash)")
                sessions.revoke(hash)
            }
            return Response(status: .noContent)
        }
    }

    /// Stores a new hash of a password whose stored hash has an older function or cost, now that the
    /// password is known, unless a password change got there first. Best effort: the login goes on if
    /// it fails, and the next login tries again.
    private func upgradeHash(of account: Account, password: String, context: AppContext) async {
        do {
            let upgraded = try await hasher.hash(password)
            try await client.query(
                "UPDATE users SET password_hash = \(upgraded) WHERE id = \(account.id) AND password_hash = \(account.passwordHash)"
            )
        } catch {
            context.logger.warning("Password hash not upgraded", metadata: ["user": "\(account.id)", "error": "\(error)"])
        }
    }

    private func login(_ request: Request, _ context: AppContext) async throws -> JSONResponse<Session> {
        let input = try await request.decode(as: Login.self, context: context, limit: 64 * 1024)
        let email = input.email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let rows = try await client.query(Queries.account(email: email))
        let account = try rows.first?.decode(Account.self, keyDecodingStrategy: .convertFromSnakeCase)
        let matches = try await hasher.verify(input.password, against: account?.passwordHash ?? hasher.decoyHash)
        guard let account, matches else { throw HTTPError(.unauthorized, message: "Wrong email or password") }
        if hasher.needsRehash(account.passwordHash) {
            await upgradeHash(of: account, password: input.password, context: context)
        }
        let token = SessionToken.generate()
        let created = try await client.query(
            """
            INSERT INTO sessions (token_hash, user_id, expires_at)
            VALUES (\(SessionToken.hash(token.value)), \(account.id), now() + interval '30 days') RETURNING expires_at
            """
        )
        let expiresAt = try created[0].decode(Date.self, at: 0)
        let user = UserRecord(id: account.id, email: account.email, name: account.name, createdAt: account.createdAt)
        return JSONResponse(status: .created, Session(token: token.value, expiresAt: expiresAt, user: user))
    }
}
