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
import NIOPosix
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

        /// A cheap scrypt, as a deployment without libsodium, or from before Argon2id, would have stored.
        static let olderHasher = PasswordHasher(algorithm: .scrypt(rounds: 1 << 10, blockSize: 8, parallelism: 1))

        @Test func passwordsAreStoredAsSaltedArgon2idAtAnOWASPMinimum() async throws {
            let hasher = PasswordHasher()
            #expect(hasher.sodium != nil, "libsodium23 is not installed")
            let first = try await hasher.hash("correct horse")
            let second = try await hasher.hash("correct horse")
            #expect(first.hasPrefix("$argon2id$v=19$m=9216,t=4,p=1$"))
            #expect(first != second)
            #expect(try await hasher.verify("correct horse", against: first))
            #expect(try await !hasher.verify("correct horsf", against: first))
            #expect(try await !hasher.verify("correct horse", against: "plain"))
            #expect(try await !hasher.verify("correct horse", against: "$argon2id$v=19$m=9216,t=4,p=1$broken"))
            #expect(!hasher.needsRehash(first))
            // Hashes made with another function or cost still verify, and are due for a rehash.
            for older in [try await TestApp.hasher.hash("x"), try await Self.olderHasher.hash("x")] {
                #expect(try await hasher.verify("x", against: older))
                #expect(hasher.needsRehash(older))
            }
        }

        @Test func withoutLibsodiumPasswordsAreStoredAsScrypt() async throws {
            #expect(LibSodium(library: "libsodium-absent.so.0") == nil)
            let hasher = PasswordHasher(sodium: nil)
            let hash = try await hasher.hash("correct horse")
            #expect(hash.hasPrefix("scrypt$16384$8$1$"))
            #expect(try await hasher.verify("correct horse", against: hash))
            #expect(try await !hasher.verify("correct horsf", against: hash))
            let argon2 = try await TestApp.hasher.hash("correct horse")
            await #expect(throws: PasswordHasher.Failure.self) { try await hasher.verify("correct horse", against: argon2) }
        }

        @Test(arguments: [true, false])
        func anUnknownEmailCostsAFullVerification(withLibsodium: Bool) async throws {
            // A pool of its own, so that other tests' hashing does not queue ahead of these timings.
            let pool = NIOThreadPool(numberOfThreads: 1)
            pool.start()
            let hasher = PasswordHasher(sodium: withLibsodium ? LibSodium.shared : nil, threadPool: pool)
            // A decoy the hashing library rejected as malformed would answer in microseconds. Measured in
            // turns, so that a busy machine slows both alike; the fastest of each is compared.
            func timeToRefuse(_ stored: String) async throws -> Duration {
                let start = ContinuousClock.now
                #expect(try await !hasher.verify("guess", against: stored))
                return ContinuousClock.now - start
            }
            var realTimes: [Duration] = []
            var decoyTimes: [Duration] = []
            do {
                let real = try await hasher.hash("correct horse")
                for _ in 0..<5 {
                    realTimes.append(try await timeToRefuse(real))
                    decoyTimes.append(try await timeToRefuse(hasher.decoyHash))
                }
            } catch {
                try await pool.shutdownGracefully()
                throw error
            }
            try await pool.shutdownGracefully()
            #expect(decoyTimes.min()! * 10 > realTimes.min()!, "decoy \(decoyTimes), real \(realTimes)")
        }

        @Test func aLoginRehashesAnOlderPasswordHash() async throws {
            try await TestApp.withClient { client async throws in
                let user = try await client.signUp()
                let older = try await Self.olderHasher.hash("correct horse")
                let database = try TestDatabase.shared.client
                try await database.query("UPDATE users SET password_hash = \(older) WHERE id = \(user.id)")
                let login = #"{"email":"\#(user.email)","password":"correct horse"}"#
                #expect(try await client.json(.post, "/api/v1/sessions", login).status == .created)
                let storedHash = { try await database.query("SELECT password_hash FROM users WHERE id = \(user.id)")[0].decode(String.self, at: 0) }
                let upgraded = try await storedHash()
                #expect(upgraded.hasPrefix(TestApp.hasher.algorithm.prefix))
                // The new hash verifies, and is not replaced again.
                #expect(try await client.json(.post, "/api/v1/sessions", login).status == .created)
                #expect(try await storedHash() == upgraded)
            }
        }

        @Test func aLoginSucceedsWhenTheRehashFails() async throws {
            let user = try await TestApp.withClient { client in try await client.signUp() }
            let older = try await Self.olderHasher.hash("correct horse")
            let database = try TestDatabase.shared.client
            try await database.query("UPDATE users SET password_hash = \(older) WHERE id = \(user.id)")
            // libsodium refuses less than 8 KiB, so every new hash of this server fails.
            let failing = PasswordHasher(algorithm: .argon2id(passes: 1, memoryKiB: 1))
            await #expect(throws: PasswordHasher.Failure.self) { try await failing.hash("x") }
            try await TestApp.withClient(hasher: failing) { client async throws in
                let login = #"{"email":"\#(user.email)","password":"correct horse"}"#
                #expect(try await client.json(.post, "/api/v1/sessions", login).status == .created)
            }
            let stored = try await database.query("SELECT password_hash FROM users WHERE id = \(user.id)")[0].decode(String.self, at: 0)
            #expect(stored == older)
        }
    }
}
