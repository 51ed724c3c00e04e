/// Decides from a response's `Content-Type` whether compressing it is worthwhile.
///
/// The ``default`` filter allows text and structured text (`text/*`, JSON, JavaScript, XML, SVG and a
/// few more) and refuses everything else, including responses without a `Content-Type`. A filter
/// made with ``init(_:)`` replaces the default entirely.
///
/// ```swift
/// let filter = CompressibleContentTypes { mediaType in
///     mediaType == "application/json" || mediaType == "application/x-protobuf"
/// }
/// ```
public struct CompressibleContentTypes: Sendable {
    private enum Kind {
        case `default`
        case custom(@Sendable (String) -> Bool)
    }

    private let kind: Kind

    /// Creates a filter from a predicate over media types.
    ///
    /// - Parameter isCompressible: Called with the media type in lowercase, without parameters
    ///   (`"text/html"` for `Text/HTML; charset=utf-8`); returns whether to compress it.
    public init(_ isCompressible: @escaping @Sendable (_ mediaType: String) -> Bool) {
        self.kind = .custom(isCompressible)
    }

    private init(kind: Kind) {
        self.kind = kind
    }

    /// The default allow list: `text/*`, `application/json` and every `+json` type, JavaScript,
    /// `application/xml` and every `+xml` type (SVG, Atom, RSS, XHTML), NDJSON, YAML, GraphQL,
    /// `x-www-form-urlencoded`, WebAssembly, and uncompressed font and icon formats.
    public static let `default` = CompressibleContentTypes(kind: .default)

    private static let defaultMediaTypes: [StaticString] = [
        "application/json",
        "application/javascript",
        "application/x-javascript",
        "application/ecmascript",
        "application/xml",
        "application/x-ndjson",
        "application/ndjson",
        "application/yaml",
        "application/x-yaml",
        "application/graphql",
        "application/x-www-form-urlencoded",
        "application/wasm",
        "application/vnd.ms-fontobject",
        "application/x-font-ttf",
        "font/ttf",
        "font/otf",
        "image/bmp",
        "image/x-icon",
        "image/vnd.microsoft.icon",
    ]

    /// Whether a response with this `Content-Type` should be compressed.
    ///
    /// - Parameter contentType: The `Content-Type` field value, or `nil` if the response has none.
    /// - Returns: `false` without a content type or with a malformed one; otherwise the filter's answer.
    public func allows(contentType: String?) -> Bool {
        guard var contentType else {
            return false
        }
        return contentType.withUTF8 { bytes in
            let end = bytes.firstIndex(of: UInt8(ascii: ";")) ?? bytes.endIndex
            let mediaType = ASCII.trimmingWhitespace(bytes[..<end])
            guard let slash = mediaType.firstIndex(of: UInt8(ascii: "/")),
                slash != mediaType.startIndex, slash != mediaType.endIndex - 1,
                !mediaType[(slash + 1)...].contains(UInt8(ascii: "/"))
            else {
                return false
            }
            switch self.kind {
            case .default:
                return ASCII.hasPrefixIgnoringCase(mediaType, "text/") || ASCII.hasSuffixIgnoringCase(mediaType, "+json")
                    || ASCII.hasSuffixIgnoringCase(mediaType, "+xml")
                    || Self.defaultMediaTypes.contains { ASCII.equalsIgnoringCase(mediaType, $0) }
            case .custom(let isCompressible):
                return isCompressible(String(decoding: mediaType.map(ASCII.lowercased), as: UTF8.self))
            }
        }
    }
}
