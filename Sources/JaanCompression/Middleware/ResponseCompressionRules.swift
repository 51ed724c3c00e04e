import HTTPTypes

/// When a response is compressed, and how its header fields change: the rules of the response
/// compression middleware, free of I/O so they can be checked one by one.
struct ResponseCompressionRules: Sendable {
    /// Bodies with fewer bytes are sent as they are.
    var minimumSize: Int
    /// Which media types are worth compressing.
    var contentTypes: CompressibleContentTypes
    /// The codings offered, most preferred first.
    var codings: [ContentCoding]

    /// What to do with one response.
    enum Decision: Equatable {
        /// Send the response as it is (its fields may have gained `Vary`).
        case passThrough
        /// Compress the body in this format; the fields already say so.
        case compress(ContentCoding, CompressionFormat)
    }

    /// Decides whether to compress a response, and updates its header fields to match.
    ///
    /// - Parameters:
    ///   - method: The request's method.
    ///   - acceptEncoding: The values of the request's `Accept-Encoding` field lines.
    ///   - response: The response head; gains `Vary: Accept-Encoding` when its representation
    ///     could vary, and `Content-Encoding`, a weak `ETag` and no `Content-Length` when compressed.
    ///   - bodyLength: The length of a complete body, or `nil` for a streamed one.
    func decide(
        method: HTTPRequest.Method,
        acceptEncoding: [String],
        response: inout HTTPResponse,
        bodyLength: Int?
    ) -> Decision {
        // Statuses without content, and partial content whose ranges refer to the identity bytes.
        switch response.status.code {
        case 100..<200, 204, 206:
            return .passThrough
        default:
            break
        }
        // Already encoded by the handler, or not a type worth compressing: the representation does
        // not depend on Accept-Encoding.
        if let encoding = response.headerFields[.contentEncoding], ContentCoding(encoding) != .identity {
            return .passThrough
        }
        if Self.forbidsTransformation(response.headerFields[values: .cacheControl]) {
            return .passThrough
        }
        guard self.contentTypes.allows(contentType: response.headerFields[.contentType]) else {
            return .passThrough
        }
        // From here on another request could get another representation.
        Self.addVary(to: &response.headerFields)

        if method == .head || response.status.code == 304 {
            return .passThrough
        }
        let length = bodyLength ?? response.headerFields[.contentLength].flatMap { Int($0) }
        if let length, length < self.minimumSize {
            return .passThrough
        }
        guard let coding = AcceptEncoding.negotiate(acceptEncoding, supported: self.codings),
            let format = coding.format
        else {
            return .passThrough
        }
        response.headerFields[.contentEncoding] = coding.description
        response.headerFields[.contentLength] = nil
        if let eTag = response.headerFields[.eTag], !eTag.hasPrefix("W/") {
            response.headerFields[.eTag] = "W/" + eTag
        }
        return .compress(coding, format)
    }

    /// Whether `Cache-Control` says `no-transform` (RFC 9111, section 5.2.2.6).
    static func forbidsTransformation(_ cacheControl: [String]) -> Bool {
        cacheControl.contains { value in
            value.utf8.split(separator: UInt8(ascii: ",")).contains { directive in
                ASCII.equalsIgnoringCase(ASCII.trimmingWhitespace(directive), "no-transform")
            }
        }
    }

    /// Adds `Accept-Encoding` to `Vary` unless it is there already or `Vary` is `*`.
    static func addVary(to fields: inout HTTPFields) {
        let present = fields[values: .vary].contains { value in
            value.utf8.split(separator: UInt8(ascii: ",")).contains { name in
                let name = ASCII.trimmingWhitespace(name)
                return ASCII.equalsIgnoringCase(name, "*") || ASCII.equalsIgnoringCase(name, "accept-encoding")
            }
        }
        if !present {
            fields.append(HTTPField(name: .vary, value: "Accept-Encoding"))
        }
    }
}
