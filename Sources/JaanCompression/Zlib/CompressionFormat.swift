/// The framing around a deflate stream: none (raw), zlib (RFC 1950) or gzip (RFC 1952).
///
/// HTTP's `gzip` content coding is ``gzip``; its `deflate` content coding is ``zlib``
/// (RFC 9110, section 8.4.1.2), not ``raw``.
public struct CompressionFormat: Sendable, Hashable, CustomStringConvertible {
    private enum Framing: Hashable {
        case raw
        case zlib
        case gzip
    }

    private let framing: Framing

    private init(_ framing: Framing) {
        self.framing = framing
    }

    /// A bare deflate stream (RFC 1951) without header or checksum.
    public static let raw = CompressionFormat(.raw)

    /// A deflate stream with a two-byte header and an Adler-32 trailer (RFC 1950): HTTP's `deflate`.
    public static let zlib = CompressionFormat(.zlib)

    /// A deflate stream with a gzip header and a CRC-32 and length trailer (RFC 1952): HTTP's `gzip`.
    public static let gzip = CompressionFormat(.gzip)

    /// The name of the format: `raw`, `zlib` or `gzip`.
    public var description: String {
        switch self.framing {
        case .raw: "raw"
        case .zlib: "zlib"
        case .gzip: "gzip"
        }
    }

    /// zlib's `windowBits` for a 32 KB window in this framing: negative for raw, +16 for gzip.
    var windowBits: Int32 {
        switch self.framing {
        case .raw: -15
        case .zlib: 15
        case .gzip: 15 + 16
        }
    }

    /// Whether one stream may be followed by another in the same body (gzip members, RFC 1952 section 2.2).
    var allowsConcatenatedMembers: Bool {
        self.framing == .gzip
    }
}
