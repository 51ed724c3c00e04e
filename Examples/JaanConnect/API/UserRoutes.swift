import Foundation
import HTTPTypes
import JaanHTTP
import JaanPool
import JaanPostgres
import Logging
import NIOCore

/// Registration, the signed-in user's profile, and user lookup and search.
struct UserRoutes: Sendable {
    let client: PostgresClient
    let hasher: PasswordHasher
    let sessions: SessionCache<ContinuousClock>

    struct Registration: Decodable {
        var email: String
        var password: String
        var name: String
    }

    struct ProfileChange: Decodable {
        var email: String?
        var password: String?
        var name: String?
    }

    func addPublic(to group: RouterGroup<AppContext>) {
        group.post("/users") { request, context in try await register(request, context) }
    }

    func addAuthenticated(to group: RouterGroup<AppContext>) {
        group.get("/me") { _, context in try context.requireUser() }
        group.patch("/me") { request, context in try await updateProfile(request, context) }
        group.get("/users/:id") { _, context in
            let id = try context.parameters.require("id", as: Int.self)
            let rows = try await client.query(Queries.user(id: id))
            guard let row = rows.first else { throw HTTPError(.notFound, message: "No such user") }
            return try row.decode(UserRecord.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
        group.get("/users") { request, _ in try await search(request) }
    }

    private func register(_ request: Request, _ context: AppContext) async throws -> JSONResponse<UserRecord> {
        let input = try await request.decode(as: Registration.self, context: context, limit: 64 * 1024)
        let email = try Validation.email(input.email)
        let name = try Validation.name(input.name)
        let password = try Validation.password(input.password)
        let hash = try await hasher.hash(password)
        let rows = try await client.query(
            """
            INSERT INTO users (email, name, password_hash) VALUES (\(email), \(name), \(hash))
            ON CONFLICT DO NOTHING RETURNING id, email, name, created_at
            """
        )
        guard let row = rows.first else { throw HTTPError(.conflict, message: "Email already registered") }
        return JSONResponse(status: .created, try row.decode(UserRecord.self, keyDecodingStrategy: .convertFromSnakeCase))
    }

    private func updateProfile(_ request: Request, _ context: AppContext) async throws -> UserRecord {
        let user = try context.requireUser()
        let change = try await request.decode(as: ProfileChange.self, context: context, limit: 64 * 1024)
        let email = try change.email.map { try Validation.email($0) }
        let name = try change.name.map(Validation.name)
        let hash = try await change.password.map(Validation.password).asyncMap { try await hasher.hash($0) }
        let rows = try await client.query(
            """
            UPDATE users SET email = coalesce(\(email), email), name = coalesce(\(name), name),
                password_hash = coalesce(\(hash), password_hash), updated_at = now()
            WHERE id = \(user.id) RETURNING id, email, name, created_at
            """
        )
        guard let row = rows.first else { throw HTTPError(.notFound, message: "No such user") }
        // This worker's cached sessions of the user show the new record from the next request on.
        sessions.forget(userID: user.id)
        return try row.decode(UserRecord.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    /// Name or email prefix search, ordered by id, with the last id as the cursor.
    private func search(_ request: Request) async throws -> UserPage {
        let query = request.query
        let limit = try Validation.limit(query["limit"])
        let after = try Validation.id(query["cursor"], name: "cursor") ?? 0
        let prefix = (query["q"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let rows: PostgresRows
        if prefix.isEmpty {
            rows = try await client.query(Queries.users(after: after, limit: limit + 1))
        } else {
            rows = try await client.query(Queries.users(prefix: prefix, after: after, limit: limit + 1))
        }
        var users = try rows.decode(UserRecord.self, keyDecodingStrategy: .convertFromSnakeCase)
        let hasMore = users.count > limit
        if hasMore { users.removeLast() }
        return UserPage(users: users, nextCursor: hasMore ? users.last.map { String($0.id) } : nil)
    }
}

extension Optional {
    /// Maps the wrapped value with an async transform.
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
