import Foundation
import Synchronization

/// Signed-in users by the hash of their session token, remembered briefly so that most requests
/// skip the session lookup.
///
/// Sessions live in PostgreSQL, so a new one is honoured by every worker and host at once. A
/// looked-up session is trusted for at most ``Configuration/timeToLive``, and never past its own
/// expiry. A logout revokes the entry in the process that served it at once; the other workers
/// and hosts stop honouring the token when their entries run out, at most one time-to-live later.
/// A revoked hash is remembered for one time-to-live, so a lookup that raced the logout cannot
/// put it back.
final class SessionCache<C: Clock>: Sendable where C.Duration == Duration {
    /// How long entries live and how many are kept.
    struct Configuration: Sendable {
        /// How long a looked-up session is trusted without asking the database again; zero turns
        /// the cache off. Defaults to 1 second.
        var timeToLive = Duration.seconds(1)
        /// The most entries kept; when full, expired entries go, then all of them. Defaults to 10,000.
        var capacity = 10_000
    }

    private enum Entry {
        case user(UserRecord, until: C.Instant)
        case revoked(until: C.Instant)

        var until: C.Instant {
            switch self {
            case .user(_, let until), .revoked(let until): until
            }
        }
    }

    let configuration: Configuration
    private let clock: C
    private let entries = Mutex<[Data: Entry]>([:])

    /// Creates an empty cache.
    ///
    /// - Parameters:
    ///   - configuration: The time-to-live and capacity.
    ///   - clock: The clock entries expire by.
    init(configuration: Configuration, clock: C) {
        self.configuration = configuration
        self.clock = clock
    }

    /// Whether entries are kept at all.
    var isEnabled: Bool { configuration.timeToLive > .zero && configuration.capacity > 0 }

    /// The user of a session looked up less than one time-to-live ago, or `nil` when the database
    /// must be asked.
    func user(for tokenHash: Data) -> UserRecord? {
        guard isEnabled else { return nil }
        let now = clock.now
        return entries.withLock { entries in
            guard case .user(let user, let until)? = entries[tokenHash] else { return nil }
            guard now < until else {
                entries[tokenHash] = nil
                return nil
            }
            return user
        }
    }

    /// Remembers the user of a session the database has just confirmed; a revoked hash stays revoked.
    ///
    /// - Parameters:
    ///   - user: The session's user.
    ///   - tokenHash: The SHA-256 of the session's token.
    ///   - expiresIn: How long the session itself remains valid.
    func store(_ user: UserRecord, for tokenHash: Data, expiresIn: Duration) {
        guard isEnabled, expiresIn > .zero else { return }
        let now = clock.now
        let until = now.advanced(by: min(configuration.timeToLive, expiresIn))
        entries.withLock { entries in
            if case .revoked(let revokedUntil)? = entries[tokenHash], now < revokedUntil { return }
            makeRoom(in: &entries, now: now)
            entries[tokenHash] = .user(user, until: until)
        }
    }

    /// Forgets a session at once (a logout), and refuses to remember it again for one time-to-live.
    func revoke(_ tokenHash: Data) {
        guard isEnabled else { return }
        let now = clock.now
        entries.withLock { entries in
            makeRoom(in: &entries, now: now)
            entries[tokenHash] = .revoked(until: now.advanced(by: configuration.timeToLive))
        }
    }

    /// Forgets every session of a user, whose record has changed.
    func forget(userID: Int) {
        guard isEnabled else { return }
        entries.withLock { entries in
            entries = entries.filter { _, entry in
                guard case .user(let user, _) = entry else { return true }
                return user.id != userID
            }
        }
    }

    /// How many entries are kept, revoked ones included.
    var count: Int { entries.withLock { $0.count } }

    private func makeRoom(in entries: inout [Data: Entry], now: C.Instant) {
        guard entries.count >= configuration.capacity else { return }
        entries = entries.filter { _, entry in now < entry.until }
        if entries.count >= configuration.capacity { entries.removeAll(keepingCapacity: true) }
    }
}
