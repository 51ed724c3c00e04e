import Foundation
import HTTPTypes
import JaanCompression
import JaanHTTP
import JaanHTTPTesting
import JaanPostgres
import NIOCore
import Testing

@testable import JaanConnect

extension ConnectTests {
    /// gzip when accepted, the request deadline, request ids and CORS on the API's routes.
    @Suite struct MiddlewareTests {
        @Test(arguments: TestMode.allCases)
        func responsesAreGzippedOnlyWhenTheClientAcceptsIt(mode: TestMode) async throws {
            try await TestApp.withClient(mode: mode) { client async throws in
                let user = try await client.signUp()
                let path = "/api/v1/users?limit=100"
                let plain = try await client.authorized(.get, path, user)
                #expect(plain.headers[.contentEncoding] == nil)
                #expect(plain.body.readableBytes > 1024)
                let zipped = try await client.execute(
                    .get, path, headers: [.authorization: "Bearer \(user.token)", .acceptEncoding: "gzip"], body: nil)
                #expect(zipped.status == .ok)
                #expect(zipped.headers[.contentEncoding] == "gzip")
                #expect(zipped.body.readableBytes < plain.body.readableBytes)
                let unzipped = try Inflater.decompress(zipped.body, format: .gzip, limit: 1 << 20, allocator: .init())
                #expect(String(buffer: unzipped).hasPrefix(#"{"users":["#))
            }
        }

        @Test func aRequestPastItsDeadlineIs503AndTheDatabaseStatementIsCancelled() async throws {
            var settings = Settings()
            settings.requestTimeout = .milliseconds(300)
            let user = try await TestApp.withClient { client async throws in try await client.signUp() }
            try await TestApp.withClient(mode: .live, settings: settings) { client async throws in
                // Another session holds the user's row, so the profile update waits on its lock.
                try await TestDatabase.withConnection { connection in
                    try await connection.withTransaction { transaction in
                        try await transaction.query("SELECT id FROM users WHERE id = \(user.id) FOR UPDATE")
                        let response = try await client.json(.patch, "/api/v1/me", #"{"name":"Late"}"#, token: user.token)
                        #expect(response.status == .serviceUnavailable)
                        #expect(response.headers[.retryAfter] != nil)
                        #expect(response.bodyString.hasPrefix(#"{"error":{"status":503,"#))
                        let waiting = try await transaction.query(
                            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE users%'"
                        )
                        #expect(try waiting[0].decode(Int.self, at: 0) == 0)
                    }
                }
                // The update never happened, and the pool's connections still serve.
                let me = try await client.authorized(.get, "/api/v1/me", user)
                #expect(try me.decoded(UserJSON.self).name == user.name)
                #expect(try await client.json(.patch, "/api/v1/me", #"{"name":"On time"}"#, token: user.token).status == .ok)
            }
        }

        @Test func everyResponseCarriesARequestIDAndCORSForConfiguredOrigins() async throws {
            var settings = Settings()
            settings.corsOrigins = ["https://app.example"]
            try await TestApp.withClient(settings: settings) { client async throws in
                let allowed = try await client.execute(.get, "/health", headers: [.origin: "https://app.example"], body: nil)
                #expect(allowed.headers[.accessControlAllowOrigin] == "https://app.example")
                #expect(allowed.headers[HTTPField.Name("X-Request-Id")!] != nil)
                let other = try await client.execute(.get, "/health", headers: [.origin: "https://evil.example"], body: nil)
                #expect(other.headers[.accessControlAllowOrigin] == nil)
            }
        }
    }
}
