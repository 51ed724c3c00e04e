import Foundation
import JaanPoolTesting
import Testing

@testable import JaanConnect

@Suite struct SessionCacheTests {
    let user = UserRecord(id: 7, email: "a@example.com", name: "A", createdAt: Date(timeIntervalSince1970: 0))
    let hash = Data(repeating: 1, count: 32)

    func cache(ttl: Duration = .seconds(1), capacity: Int = 10_000) -> (SessionCache<ManualClock>, ManualClock) {
        let clock = ManualClock()
        return (SessionCache(configuration: .init(timeToLive: ttl, capacity: capacity), clock: clock), clock)
    }

    @Test func aStoredSessionIsServedUntilItsTimeToLivePasses() {
        let (cache, clock) = cache()
        #expect(cache.user(for: hash) == nil)
        cache.store(user, for: hash, expiresIn: .seconds(3600))
        clock.advance(by: .milliseconds(999))
        #expect(cache.user(for: hash)?.id == 7)
        // A session deleted by another worker or host is refused from here on: the database is asked again.
        clock.advance(by: .milliseconds(1))
        #expect(cache.user(for: hash) == nil)
        #expect(cache.count == 0)
    }

    @Test func anEntryNeverOutlivesItsSession() {
        let (cache, clock) = cache()
        cache.store(user, for: hash, expiresIn: .milliseconds(100))
        clock.advance(by: .milliseconds(100))
        #expect(cache.user(for: hash) == nil)
        cache.store(user, for: hash, expiresIn: .zero)
        #expect(cache.user(for: hash) == nil)
    }

    @Test func aRevokedSessionIsForgottenAtOnceAndNotStoredAgainForOneTimeToLive() {
        let (cache, clock) = cache()
        cache.store(user, for: hash, expiresIn: .seconds(3600))
        cache.revoke(hash)
        #expect(cache.user(for: hash) == nil)
        // A lookup that read the session before the logout's delete committed cannot put it back.
        cache.store(user, for: hash, expiresIn: .seconds(3600))
        #expect(cache.user(for: hash) == nil)
        clock.advance(by: .seconds(1))
        cache.store(user, for: hash, expiresIn: .seconds(3600))
        #expect(cache.user(for: hash)?.id == 7)
    }

    @Test func forgettingAUserDropsEveryOneOfItsSessions() {
        let (cache, _) = cache()
        let other = UserRecord(id: 8, email: "b@example.com", name: "B", createdAt: Date(timeIntervalSince1970: 0))
        let second = Data(repeating: 2, count: 32)
        let third = Data(repeating: 3, count: 32)
        cache.store(user, for: hash, expiresIn: .seconds(3600))
        cache.store(user, for: second, expiresIn: .seconds(3600))
        cache.store(other, for: third, expiresIn: .seconds(3600))
        cache.forget(userID: 7)
        #expect(cache.user(for: hash) == nil && cache.user(for: second) == nil)
        #expect(cache.user(for: third)?.id == 8)
    }

    @Test func theCacheStaysWithinItsCapacity() {
        let (cache, clock) = cache(capacity: 3)
        for index in 0..<3 { cache.store(user, for: Data([UInt8(index)]), expiresIn: .seconds(3600)) }
        #expect(cache.count == 3)
        // Full of live entries: they all go to make room.
        cache.store(user, for: Data([9]), expiresIn: .seconds(3600))
        #expect(cache.count == 1 && cache.user(for: Data([9])) != nil)
        // Full with expired entries among them: only those go.
        cache.store(user, for: Data([10]), expiresIn: .milliseconds(10))
        cache.store(user, for: Data([11]), expiresIn: .seconds(3600))
        clock.advance(by: .milliseconds(10))
        cache.store(user, for: Data([12]), expiresIn: .seconds(3600))
        #expect(cache.count == 3)
        #expect(cache.user(for: Data([9])) != nil && cache.user(for: Data([11])) != nil && cache.user(for: Data([12])) != nil)
    }

    @Test func aTimeToLiveOfZeroKeepsNothing() {
        let (cache, _) = cache(ttl: .zero)
        #expect(!cache.isEnabled)
        cache.store(user, for: hash, expiresIn: .seconds(3600))
        cache.revoke(hash)
        #expect(cache.user(for: hash) == nil && cache.count == 0)
    }
}

@Suite struct BearerTokenTests {
    @Test(arguments: [
        ("Bearer abc", "abc"), ("bearer abc", "abc"), ("BEARER  abc\t", "abc"), ("Bearer a b", "a b"),
    ])
    func theTokenFollowsTheSchemeInAnyCase(header: String, token: String) {
        #expect(SessionMiddleware.bearerToken(header) == token)
    }

    @Test(arguments: ["Bearer", "Bearer ", "Bearer   ", "Basic abc", "Bearerabc", "Bearer\0abc", "Béarer abc", ""])
    func otherSchemesAndEmptyTokensHaveNone(header: String) {
        #expect(SessionMiddleware.bearerToken(header) == nil)
    }
}
