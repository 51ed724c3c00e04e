/// An error from compressing or decompressing.
///
/// The description names the kind of failure only; zlib's own messages and codes are not exposed.
public struct CompressionError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable {
        case corruptData
        case truncatedData
        case limitExceeded
        case invalidConfiguration
        case streamEnded
        case outOfMemory
    }

    private let code: Code

    private init(_ code: Code) {
        self.code = code
    }

    /// The compressed input is not a valid stream in the expected format.
    public static let corruptData = CompressionError(.corruptData)

    /// The compressed input ended before its stream did.
    public static let truncatedData = CompressionError(.truncatedData)

    /// Decompressing would produce more bytes than the configured limit.
    public static let limitExceeded = CompressionError(.limitExceeded)

    /// A compression level, memory level or limit is out of its valid range.
    public static let invalidConfiguration = CompressionError(.invalidConfiguration)

    /// The stream was already finished or ended and cannot take more input.
    public static let streamEnded = CompressionError(.streamEnded)

    /// zlib could not allocate its state.
    public static let outOfMemory = CompressionError(.outOfMemory)

    /// A short, client-safe description of the failure.
    public var description: String {
        switch self.code {
        case .corruptData: "compressed data is corrupt"
        case .truncatedData: "compressed data is truncated"
        case .limitExceeded: "decompressed data exceeds the size limit"
        case .invalidConfiguration: "invalid compression configuration"
        case .streamEnded: "compression stream has ended"
        case .outOfMemory: "out of memory for compression state"
        }
    }
}
