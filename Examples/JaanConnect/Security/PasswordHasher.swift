import Crypto
import CryptoExtras
import Foundation
import NIOPosix

/// Hashes passwords with a salted, memory-hard function and verifies them.
///
/// New hashes use Argon2id through libsodium, at one of OWASP's minimum costs (9 MiB, four passes,
/// one lane), stored as a PHC string (`$argon2id$v=19$m=9216,t=4,p=1$salt$hash`). On a host without
/// libsodium they use scrypt instead, stored as `scrypt$N$r$p$salt$key` (salt and key in base64).
/// Either kind verifies, whatever the current algorithm, so parameters can be raised later;
/// ``needsRehash(_:)`` says which stored hashes a login should replace.
///
/// Hashing is deliberately slow, so it runs on NIO's blocking thread pool, never on an event loop
/// or Swift's cooperative pool.
struct PasswordHasher: Sendable {
    /// A password-hashing function with its cost.
    enum Algorithm: Sendable, Equatable {
        /// Argon2id over `memoryKiB` of memory, `passes` times, in one lane.
        case argon2id(passes: Int, memoryKiB: Int)
        /// scrypt with cost N (`rounds`, a power of two), block size r and parallelism p.
        case scrypt(rounds: Int, blockSize: Int, parallelism: Int)

        /// One of OWASP's minimum costs for Argon2id: 9 MiB, four passes, one lane. OWASP counts it as
        /// strong as its headline 19 MiB and two passes; here it takes 10 ms of CPU against 16, since
        /// less memory is mapped, cleared and missed in the cache.
        static let owaspArgon2id = Algorithm.argon2id(passes: 4, memoryKiB: 9 * 1024)
        /// scrypt at N = 2^14, r = 8, p = 1: 16 MiB, libsodium's interactive level (about 30 ms here).
        static let interactiveScrypt = Algorithm.scrypt(rounds: 1 << 14, blockSize: 8, parallelism: 1)

        /// How every hash of this algorithm and cost begins.
        var prefix: String {
            switch self {
            case .argon2id(let passes, let memoryKiB): "$argon2id$v=19$m=\(memoryKiB),t=\(passes),p=1$"
            case .scrypt(let rounds, let blockSize, let parallelism): "scrypt$\(rounds)$\(blockSize)$\(parallelism)$"
            }
        }
    }

    /// Why a password could not be hashed or checked.
    enum Failure: Error, CustomStringConvertible {
        /// libsodium refused the parameters or could not allocate the memory.
        case hashingFailed
        /// An Argon2 hash is stored, and this host has no libsodium to check it with.
        case argon2Unavailable

        var description: String {
            switch self {
            case .hashingFailed: "password hashing failed (out of memory, or invalid parameters)"
            case .argon2Unavailable: "an Argon2 password hash needs libsodium: apt-get install libsodium23"
            }
        }
    }

    /// The function and cost of new hashes.
    let algorithm: Algorithm
    /// The libsodium that Argon2 hashes use, if any.
    let sodium: LibSodium?
    /// The thread pool that runs the hashing.
    let threadPool: NIOThreadPool

    /// Creates a hasher.
    ///
    /// - Parameters:
    ///   - algorithm: The function and cost of new hashes. Defaults to OWASP's Argon2id when
    ///     `sodium` is present, and to scrypt at N = 2^14 otherwise.
    ///   - sodium: The libsodium for Argon2. Defaults to the system's, if installed.
    ///   - threadPool: The pool that runs the hashing. Defaults to NIO's shared pool.
    init(algorithm: Algorithm? = nil, sodium: LibSodium? = LibSodium.shared, threadPool: NIOThreadPool = .singleton) {
        self.algorithm = algorithm ?? (sodium == nil ? .interactiveScrypt : .owaspArgon2id)
        self.sodium = sodium
        self.threadPool = threadPool
    }

    /// Hashes `password` with a fresh random salt.
    func hash(_ password: String) async throws -> String {
        switch algorithm {
        case .argon2id(let passes, let memoryKiB):
            let sodium = try argon2()
            return try await threadPool.runIfActive { try sodium.argon2id(password, passes: passes, memoryKiB: memoryKiB) }
        case .scrypt(let rounds, let blockSize, let parallelism):
            let salt = SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) }
            let key = try await scrypt(password, salt: salt, rounds: rounds, blockSize: blockSize, parallelism: parallelism)
            return algorithm.prefix + "\(salt.base64EncodedString())$\(key.base64EncodedString())"
        }
    }

    /// Whether `password` matches `stored`, compared in constant time; `false` for a malformed hash.
    ///
    /// - Throws: ``Failure/argon2Unavailable`` for an Argon2 hash on a host without libsodium.
    func verify(_ password: String, against stored: String) async throws -> Bool {
        if stored.hasPrefix("$argon2") {
            let sodium = try argon2()
            return try await threadPool.runIfActive { sodium.verify(password, against: stored) }
        }
        let parts = stored.split(separator: "$")
        guard parts.count == 6, parts[0] == "scrypt", let rounds = Int(parts[1]), let blockSize = Int(parts[2]),
            let parallelism = Int(parts[3]), let salt = Data(base64Encoded: String(parts[4])),
            let expected = Data(base64Encoded: String(parts[5]))
        else { return false }
        let key = try await scrypt(password, salt: salt, rounds: rounds, blockSize: blockSize, parallelism: parallelism)
        return key.count == expected.count && zip(key, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Whether `stored` was made with another function or cost, so that a login which has just
    /// verified it should store a new hash.
    func needsRehash(_ stored: String) -> Bool { !stored.hasPrefix(algorithm.prefix) }

    /// A hash of a password nobody has, with the current function and cost: verified when an email
    /// is unknown, so that both ways of failing a login take as long.
    var decoyHash: String {
        switch algorithm {
        case .argon2id: algorithm.prefix + String(repeating: "A", count: 22) + "$" + String(repeating: "A", count: 43)
        case .scrypt: algorithm.prefix + Data(count: 16).base64EncodedString() + "$" + Data(count: 32).base64EncodedString()
        }
    }

    private func argon2() throws -> LibSodium {
        guard let sodium else { throw Failure.argon2Unavailable }
        return sodium
    }

    private func scrypt(_ password: String, salt: Data, rounds: Int, blockSize: Int, parallelism: Int) async throws -> Data {
        let passwordBytes = Data(password.utf8)
        return try await threadPool.runIfActive {
            let key = try KDF.Scrypt.deriveKey(
                from: passwordBytes,
                salt: salt,
                outputByteCount: 32,
                rounds: rounds,
                blockSize: blockSize,
                parallelism: parallelism
            )
            return key.withUnsafeBytes { Data($0) }
        }
    }
}
