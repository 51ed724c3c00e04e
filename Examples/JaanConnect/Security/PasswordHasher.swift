import Crypto
import CryptoExtras
import Foundation
import NIOPosix

/// Hashes passwords with scrypt (salted, memory-hard) and verifies them.
///
/// A hash is stored as `scrypt$N$r$p$salt$key` (salt and key in base64), so its parameters can be
/// raised later without breaking older hashes. Hashing is deliberately slow, so it runs on NIO's
/// blocking thread pool, never on an event loop or Swift's cooperative pool.
struct PasswordHasher: Sendable {
    /// scrypt's cost parameter N (a power of two). Defaults to 2^14: 16 MiB of memory per hash.
    var rounds = 1 << 14
    /// scrypt's block size r. Defaults to 8.
    var blockSize = 8
    /// scrypt's parallelism p. Defaults to 1.
    var parallelism = 1
    /// The thread pool that runs the hashing. Defaults to NIO's shared pool.
    var threadPool = NIOThreadPool.singleton

    /// Hashes `password` with a fresh random salt.
    func hash(_ password: String) async throws -> String {
        let salt = SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) }
        let key = try await derive(password, salt: salt, rounds: rounds, blockSize: blockSize, parallelism: parallelism)
        return "scrypt$\(rounds)$\(blockSize)$\(parallelism)$\(salt.base64EncodedString())$\(key.base64EncodedString())"
    }

    /// Whether `password` matches `stored`, compared in constant time; `false` for a malformed hash.
    func verify(_ password: String, against stored: String) async throws -> Bool {
        let parts = stored.split(separator: "$")
        guard parts.count == 6, parts[0] == "scrypt", let rounds = Int(parts[1]), let blockSize = Int(parts[2]),
            let parallelism = Int(parts[3]), let salt = Data(base64Encoded: String(parts[4])),
            let expected = Data(base64Encoded: String(parts[5]))
        else { return false }
        let key = try await derive(password, salt: salt, rounds: rounds, blockSize: blockSize, parallelism: parallelism)
        return key.count == expected.count && zip(key, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private func derive(_ password: String, salt: Data, rounds: Int, blockSize: Int, parallelism: Int) async throws -> Data {
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
