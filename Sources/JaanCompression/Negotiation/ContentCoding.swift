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
        switch token.trimmingHTTPWhitespace().lowercased() {
        case "gzip", "x-gzip": self = .gzip
        case "deflate": self = .deflate
        case "identity": self = .identity
        default: return nil
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

extension StringProtocol {
    /// The string without leading and trailing spaces and tabs (HTTP's optional whitespace).
    func trimmingHTTPWhitespace() -> Substring {
        let isWhitespace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        let string = Substring(self)
        guard let first = string.firstIndex(where: { !isWhitespace($0) }),
            let last = string.lastIndex(where: { !isWhitespace($0) })
        else {
            return ""
        }
        return string[first...last]
    }
}
