/// An HTTP content coding (RFC 9110, section 8.4.1): `gzip`, `deflate` or `identity`.
public struct ContentCoding: Sendable, Hashable, CustomStringConvertible {
    private enum Name: Hashable {
        case gzip
        case deflate
        case identity
    }

    private let name: Name

    private init(_ name: Name) {
        self.name = name
    }

    /// `gzip`: a deflate stream in gzip framing (``CompressionFormat/gzip``). `x-gzip` is read as this.
    public static let gzip = ContentCoding(.gzip)

    /// `deflate`: a deflate stream in zlib framing (``CompressionFormat/zlib``).
    public static let deflate = ContentCoding(.deflate)

    /// `identity`: no content coding.
    public static let identity = ContentCoding(.identity)

    /// Reads a coding name as it appears in `Accept-Encoding` or `Content-Encoding`, ignoring case
    /// and surrounding whitespace; `nil` for codings this module does not implement (`br`, `zstd`, ...).
    ///
    /// - Parameter token: The coding name, for example `"gzip"`.
    public init?(_ token: some StringProtocol) {
        let name = ASCII.trimmingWhitespace(token.utf8)
        if ASCII.equalsIgnoringCase(name, "gzip") || ASCII.equalsIgnoringCase(name, "x-gzip") {
            self = .gzip
        } else if ASCII.equalsIgnoringCase(name, "deflate") {
            self = .deflate
        } else if ASCII.equalsIgnoringCase(name, "identity") {
            self = .identity
        } else {
            return nil
        }
    }

    /// The coding's name as written in HTTP headers: `gzip`, `deflate` or `identity`.
    public var description: String {
        switch self.name {
        case .gzip: "gzip"
        case .deflate: "deflate"
        case .identity: "identity"
        }
    }

    /// The framing of the coding's compressed stream, or `nil` for ``identity``.
    public var format: CompressionFormat? {
        switch self.name {
        case .gzip: .gzip
        case .deflate: .zlib
        case .identity: nil
        }
    }
}
