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

extension ConnectTests {
    @Suite struct SessionTests {
        @Test func loginAnswersAnOpaqueTokenWhoseHashAloneIsStored() async throws {
            try await TestApp.withClient { client async throws in
                let user = try await client.signUp()
                let rows = try await TestDatabase.shared.client.query("SELECT token_hash FROM sessions WHERE user_id = \(user.id)")
                #expect(rows.count == 1)
                let stored = try rows[0].decode(Data.self, at: 0)
                #expect(stored == SessionToken.hash(user.token))
                #expect(stored != Data(user.token.utf8))
                #expect(user.token.count >= 43)
            }
        }

        @Test func wrongPasswordsAndUnknownEmailsAre401() async throws {
            try await TestApp.withClient { client async throws in
                let user = try await client.signUp()
                let wrong = try await client.json(.post, "/api/v1/sessions", #"{"email":"\#(user.email)","password":"wrong password"}"#)
                #expect(wrong.status == .unauthorized)
                let unknown = try await client.json(.post, "/api/v1/sessions", #"{"email":"nobody-\#(user.email)","password":"whatever1"}"#)
                #expect(unknown.status == .unauthorized)
                #expect(wrong.bodyString == unknown.bodyString)
            }
        }

        @Test(arguments: TestMode.allCases)
        func logoutEndsTheSessionEverywhere(mode: TestMode) async throws {
            try await TestApp.withClient(mode: mode) { client async throws in
                let user = try await client.signUp()
                #expect(try await client.authorized(.delete, "/api/v1/sessions/current", user).status == .noContent)
                #expect(try await client.authorized(.get, "/api/v1/me", user).status == .unauthorized)
            }
            // A session made by one server is honoured by another: sessions live in PostgreSQL.
            let user = try await TestApp.withClient { client in try await client.signUp() }
            try await TestApp.withClient(mode: .live) { client async throws in
                #expect(try await client.authorized(.get, "/api/v1/me", user).status == .ok)
            }
        }

        @Test func aCachedSessionSkipsTheDatabaseAndALogoutEndsItAtOnce() async throws {
            var settings = Settings()
            settings.sessionCacheTTL = .seconds(600)
            try await TestApp.withClient(settings: settings) { client async throws in
                // Deleted behind the server's back (as another worker's logout would): still honoured
                // from the cache, for at most the time-to-live.
                let other = try await client.signUp()
                #expect(try await client.authorized(.get, "/api/v1/me", other).status == .ok)
                try await TestDatabase.shared.client.query("DELETE FROM sessions WHERE user_id = \(other.id)")
                #expect(try await client.authorized(.get, "/api/v1/me", other).status == .ok)

                let user = try await client.signUp()
                #expect(try await client.authorized(.get, "/api/v1/me", user).status == .ok)
                #expect(try await client.authorized(.delete, "/api/v1/sessions/current", user).status == .noContent)
                #expect(try await client.authorized(.get, "/api/v1/me", user).status == .unauthorized)
                let rows = try await TestDatabase.shared.client.query("SELECT 1 FROM sessions WHERE user_id = \(user.id)")
                #expect(rows.count == 0)
            }
        }

        @Test func withTheCacheOffASessionDeletedElsewhereIsRefusedAtOnce() async throws {
            var settings = Settings()
            settings.sessionCacheTTL = .zero
            try await TestApp.withClient(settings: settings) { client async throws in
                let user = try await client.signUp()
                #expect(try await client.authorized(.get, "/api/v1/me", user).status == .ok)
                try await TestDatabase.shared.client.query("DELETE FROM sessions WHERE user_id = \(user.id)")
                #expect(try await client.authorized(.get, "/api/v1/me", user).status == .unauthorized)
            }
        }

        @Test func passwordsAreStoredAsSaltedScryptWithTheirParameters() async throws {
            let hasher = PasswordHasher()
            let first = try await hasher.hash("correct horse")
            let second = try await hasher.hash("correct horse")
            #expect(first.hasPrefix("scrypt$16384$8$1$"))
            #expect(first != second)
            #expect(try await hasher.verify("correct horse", against: first))
            #expect(try await !hasher.verify("correct horsf", against: first))
            #expect(try await !hasher.verify("correct horse", against: "plain"))
            // A hash made with other parameters still verifies.
            let cheap = try await PasswordHasher(rounds: 1 << 10).hash("x")
            #expect(try await hasher.verify("x", against: cheap))
        }
    }
}
