import ArgumentParser
import Foundation
import HTTPTypes
import JaanHTTP
import JaanHTTPTesting
import JaanPool
import JaanPostgres
import JaanPostgresServer
import Logging
import NIOCore
import Testing

@testable import JaanConnect

/// The API over the suite's database, reached in process or through a live server.
enum TestApp {
    /// A cheap Argon2id for tests, through the system's libsodium (the production cost is tested on its own).
    static let hasher = PasswordHasher(algorithm: .argon2id(passes: 1, memoryKiB: 64))

    static func api(settings: Settings = Settings(), client: PostgresClient? = nil, hasher: PasswordHasher = hasher) throws -> ConnectAPI {
        ConnectAPI(
            client: try client ?? TestDatabase.shared.client,
            settings: settings,
            metrics: AppMetrics(statusFile: nil, workerID: 0),
            hasher: hasher
        )
    }

    /// Runs `body` with a client of the API.
    static func withClient<Value: Sendable>(
        mode: TestMode = .inProcess,
        settings: Settings = Settings(),
        hasher: PasswordHasher = hasher,
        _ body: @Sendable (any TestClient) async throws -> Value
    ) async throws -> Value {
        let api = try api(settings: settings, hasher: hasher)
        var configuration = api.serverConfiguration
        configuration.accessLog = false
        return try await withTestClient(router: api.router(), mode: mode, configuration: configuration, logger: TestDatabase.quietLogger, body)
    }
}

/// A registered, signed-in user of a test.
struct TestUser: Sendable {
    var id: Int
    var email: String
    var name: String
    var token: String

    var auth: HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }
}

extension TestClient {
    /// Sends JSON.
    func json(_ method: HTTPRequest.Method, _ path: String, _ body: String, token: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(method, path, headers: headers, body: body)
    }

    /// Sends a request with a bearer token and no body.
    func authorized(_ method: HTTPRequest.Method, _ path: String, _ user: TestUser) async throws -> TestResponse {
        try await execute(method, path, headers: [.authorization: "Bearer \(user.token)"], body: nil)
    }

    /// Registers a user with a unique email and logs in.
    func signUp(name: String = "Test User") async throws -> TestUser {
        let email = "\(TestDatabase.unique())@example.com"
        let created = try await json(.post, "/api/v1/users", #"{"email":"\#(email)","password":"correct horse","name":"\#(name)"}"#)
        #expect(created.status == .created, "\(created.bodyString)")
        let session = try await json(.post, "/api/v1/sessions", #"{"email":"\#(email)","password":"correct horse"}"#)
        #expect(session.status == .created, "\(session.bodyString)")
        let user = try created.decoded(UserJSON.self)
        let token = try session.decoded(SessionJSON.self).token
        return TestUser(id: user.id, email: email, name: name, token: token)
    }

    /// Makes two users with an accepted connection.
    func connectedPair() async throws -> (TestUser, TestUser) {
        let first = try await signUp()
        let second = try await signUp()
        let requested = try await json(.post, "/api/v1/connections", #"{"user_id":\#(second.id)}"#, token: first.token)
        let id = try requested.decoded(ConnectionJSON.self).id
        let accepted = try await authorized(.post, "/api/v1/connections/\(id)/accept", second)
        #expect(accepted.status == .ok)
        return (first, second)
    }
}

extension TestResponse {
    /// The body decoded from snake_case JSON.
    func decoded<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(T.self, from: Data(body.readableBytesView))
    }

    /// The `message` of a JSON error body.
    var errorMessage: String? {
        struct Body: Decodable {
            struct Inner: Decodable { var status: Int; var message: String }
            var error: Inner
        }
        return try? decoded(Body.self).error.message
    }
}

struct UserJSON: Decodable, Equatable {
    var id: Int
    var email: String
    var name: String
    var createdAt: Date
}

struct SessionJSON: Decodable {
    var token: String
    var tokenType: String
    var expiresAt: Date
    var user: UserJSON
}

struct ConnectionJSON: Decodable {
    var id: Int
    var requesterId: Int
    var addresseeId: Int
    var status: String
}
