#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// libsodium's Argon2id password hashing, loaded on first use from the system's `libsodium.so.23`
/// (Debian's `libsodium23`, without its development package).
///
/// Loading it at run time keeps the build free of a development package: a host without the
/// library still builds and runs, and ``PasswordHasher`` falls back to scrypt there.
final class LibSodium: Sendable {
    /// The process's libsodium, or `nil` when `libsodium.so.23` is not installed or fails to start.
    static let shared = LibSodium(library: "libsodium.so.23")

    /// `crypto_pwhash_str_alg`: a PHC string of `password` with a fresh random salt.
    private typealias HashString =
        @convention(c) (
            _ out: UnsafeMutablePointer<CChar>, _ password: UnsafePointer<CChar>, _ length: UInt64,
            _ opsLimit: UInt64, _ memoryLimit: Int, _ algorithm: Int32
        ) -> Int32
    /// `crypto_pwhash_str_verify`: 0 when `password` matches the PHC string `hash`.
    private typealias VerifyString =
        @convention(c) (
            _ hash: UnsafePointer<CChar>, _ password: UnsafePointer<CChar>, _ length: UInt64
        ) -> Int32

    /// libsodium's `crypto_pwhash_STRBYTES`: the longest PHC string, its terminating zero included.
    private static let stringCapacity = 128
    /// libsodium's `crypto_pwhash_ALG_ARGON2ID13`.
    private static let argon2id13: Int32 = 2

    private let hashString: HashString
    private let verifyString: VerifyString

    /// Loads `library` and initializes it; `nil` when it cannot be loaded or lacks a function.
    init?(library: String) {
        guard let handle = dlopen(library, RTLD_NOW | RTLD_LOCAL) else { return nil }
        guard let initialize = dlsym(handle, "sodium_init"), let hash = dlsym(handle, "crypto_pwhash_str_alg"),
            let verify = dlsym(handle, "crypto_pwhash_str_verify"),
            unsafeBitCast(initialize, to: (@convention(c) () -> Int32).self)() >= 0
        else {
            dlclose(handle)
            return nil
        }
        hashString = unsafeBitCast(hash, to: HashString.self)
        verifyString = unsafeBitCast(verify, to: VerifyString.self)
    }

    /// Hashes `password` with Argon2id (one lane) and a fresh random salt.
    ///
    /// - Returns: The PHC string, such as `$argon2id$v=19$m=9216,t=4,p=1$<salt>$<hash>`.
    /// - Throws: ``PasswordHasher/Failure/hashingFailed`` when libsodium refuses the parameters
    ///   or cannot allocate the memory.
    func argon2id(_ password: String, passes: Int, memoryKiB: Int) throws -> String {
        var output = [CChar](repeating: 0, count: Self.stringCapacity)
        let status = Self.withBytes(of: password) { bytes, length in
            output.withUnsafeMutableBufferPointer { out in
                hashString(out.baseAddress!, bytes, length, UInt64(passes), memoryKiB * 1024, Self.argon2id13)
            }
        }
        guard status == 0 else { throw PasswordHasher.Failure.hashingFailed }
        return output.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// Whether `password` matches `hash`, a PHC string of Argon2i or Argon2id; `false` for a
    /// malformed one.
    func verify(_ password: String, against hash: String) -> Bool {
        guard hash.utf8.count < Self.stringCapacity else { return false }
        return Self.withBytes(of: password) { bytes, length in verifyString(hash, bytes, length) } == 0
    }

    /// Calls `body` with the UTF-8 bytes of `text` (zeros included) and their count.
    private static func withBytes<Result>(of text: String, _ body: (UnsafePointer<CChar>, UInt64) -> Result) -> Result {
        var text = text
        return text.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { bytes in
                // An empty buffer may have no address; libsodium still needs a valid pointer.
                withUnsafePointer(to: CChar(0)) { empty in body(bytes.baseAddress ?? empty, UInt64(bytes.count)) }
            }
        }
    }
}
