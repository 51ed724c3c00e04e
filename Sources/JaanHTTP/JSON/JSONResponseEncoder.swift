public import NIOCore

/// Encodes `Encodable` values as JSON straight into a `ByteBuffer`.
///
/// The encoder writes bytes as the value's `encode(to:)` runs, without building an intermediate
/// tree, for the common case of containers filled in order. Values that fill containers out of
/// order (a parent written to after a nested container, a `superEncoder()`) or that ask for sorted
/// keys are encoded through an ordered tree instead, with the same result.
///
/// - Note: A key encoded twice into one container is written twice when streamed (JSON parsers
///   keep the last value), where Foundation writes it once with the last value.
///
/// The output matches Foundation's `JSONEncoder` with `.withoutEscapingSlashes`: the same number
/// formatting (shortest round-trip form, `1` for `1.0`), the same string escapes, `Data` as base64,
/// `URL` as its absolute string, `UUID` as its uppercase string and `Decimal` as a number.
/// Dates default to ISO 8601 (`2026-11-29T03:00:00Z`).
///
/// ```swift
/// let encoder = JSONResponseEncoder()
/// var buffer = ByteBuffer()
/// try encoder.encode(["message": "Hello, World!"], into: &buffer)
/// ```
public struct JSONResponseEncoder: Sendable {
    /// What the encoder writes and how.
    public struct Configuration: Sendable {
        /// How coding keys become JSON object keys. Defaults to ``KeyEncodingStrategy/useDefaultKeys``.
        public var keyEncodingStrategy: KeyEncodingStrategy = .useDefaultKeys
        /// How `Date` values are written. Defaults to ``DateEncodingStrategy/iso8601``.
        public var dateEncodingStrategy: DateEncodingStrategy = .iso8601
        /// Whether object keys are written in ascending order of their UTF-8 bytes. Defaults to `false`
        /// (keys are written in the order the value encodes them, which is faster).
        public var sortsKeys: Bool = false
        /// Values handed to every `encode(to:)` through `Encoder.userInfo`. Defaults to empty.
        public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

        /// Creates the default configuration.
        public init() {}
    }

    /// The configuration this encoder applies.
    public var configuration: Configuration

    /// Creates an encoder.
    /// - Parameter configuration: What to write and how. Defaults to ``Configuration/init()``.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// Appends the JSON form of `value` to `buffer`.
    ///
    /// On error, `buffer` is left as it was.
    /// - Parameters:
    ///   - value: The value to encode.
    ///   - buffer: The buffer the JSON text is appended to.
    /// - Throws: `EncodingError.invalidValue` for a non-finite floating-point number, a value that
    ///   encodes nothing at the top level, or containers used in a way JSON cannot express.
    public func encode<T: Encodable>(_ value: T, into buffer: inout ByteBuffer) throws {
        let output = try self.render(value)
        defer { output.deallocate() }
        output.withBytes { _ = buffer.writeBytes($0) }
    }

    /// Returns the JSON form of `value` in a new buffer sized to fit it.
    /// - Parameters:
    ///   - value: The value to encode.
    ///   - allocator: Allocates the returned buffer.
    /// - Returns: A buffer holding the JSON text.
    /// - Throws: `EncodingError.invalidValue` for a non-finite floating-point number, a value that
    ///   encodes nothing at the top level, or containers used in a way JSON cannot express.
    public func encode<T: Encodable>(_ value: T, allocator: ByteBufferAllocator) throws -> ByteBuffer {
        let output = try self.render(value)
        defer { output.deallocate() }
        var buffer = allocator.buffer(capacity: output.count)
        output.withBytes { _ = buffer.writeBytes($0) }
        return buffer
    }

    /// Encodes `value` into fresh output, streaming first and through a tree where streaming can't.
    private func render<T: Encodable>(_ value: T) throws -> JSONOutput {
        let options = JSONEncodingOptions(self.configuration)
        if !options.sortsKeys {
            let stream = JSONStreamEncoder(options: options)
            if let output = try stream.encodeTopLevel(value) {
                return output
            }
        }
        return try JSONTreeEncoder.encodeTopLevel(value, options: options)
    }
}
