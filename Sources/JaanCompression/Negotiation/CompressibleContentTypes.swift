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
    private let isCompressible: @Sendable (String) -> Bool

    /// Creates a filter from a predicate over media types.
    ///
    /// - Parameter isCompressible: Called with the media type in lowercase, without parameters
    ///   (`"text/html"` for `Text/HTML; charset=utf-8`); returns whether to compress it.
    public init(_ isCompressible: @escaping @Sendable (_ mediaType: String) -> Bool) {
        self.isCompressible = isCompressible
    }

    /// The default allow list: `text/*`, `application/json` and every `+json` type, JavaScript,
    /// `application/xml` and every `+xml` type (SVG, Atom, RSS, XHTML), NDJSON, YAML, GraphQL,
    /// `x-www-form-urlencoded`, WebAssembly, and uncompressed font and icon formats.
    public static let `default` = CompressibleContentTypes { mediaType in
        if mediaType.hasPrefix("text/") || mediaType.hasSuffix("+json") || mediaType.hasSuffix("+xml") {
            return true
        }
        return defaultMediaTypes.contains(mediaType)
    }

    private static let defaultMediaTypes: Set<String> = [
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
        guard let contentType else {
            return false
        }
        let mediaType = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
            .trimmingHTTPWhitespace().lowercased()
        let parts = mediaType.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            return false
        }
        return self.isCompressible(mediaType)
    }
}
