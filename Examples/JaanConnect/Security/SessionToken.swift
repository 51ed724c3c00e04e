import Crypto
import Foundation

/// An opaque bearer token: 32 random bytes, base64url. Only its SHA-256 is stored.
struct SessionToken: Sendable {
    /// The token the client holds.
    let value: String

    /// A new random token.
    static func generate() -> SessionToken {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let encoded = bytes.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return SessionToken(value: encoded)
    }

    /// The SHA-256 of a token as the client sent it, the key it is stored under.
    static func hash(_ token: String) -> Data {
        Data(SHA256.hash(data: Data(token.utf8)))
    }
}
