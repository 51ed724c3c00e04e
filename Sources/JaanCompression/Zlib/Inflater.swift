import CZlib
public import NIOCore

/// A deflate decompressor over one zlib stream, in raw, zlib or gzip framing, that never produces
/// more than a limit.
///
/// Feed compressed chunks to ``decompress(_:into:)`` as they arrive and call ``finish()`` at the end
/// of the input, or decompress a complete body with ``decompress(_:format:limit:allocator:)``.
/// The output window given to zlib never reaches past the limit, so a decompression bomb is refused
/// with ``CompressionError/limitExceeded`` while at most `limit` bytes are held.
///
/// ```swift
/// let inflater = try Inflater(format: .gzip, limit: 50 * 1024 * 1024)
/// for chunk in chunks { try inflater.decompress(&chunk, into: &plain) }
/// try inflater.finish()  // throws `.truncatedData` if the stream is incomplete
/// ```
///
/// zlib's memory (about 40 KB) is released by ``end()``, by ``finish()``, by any error, or at the
/// latest when the inflater is deinitialized. An inflater is used by one task at a time.
public final class Inflater {
    private enum State {
        case active
        case finished
        case ended
    }

    /// What one pass over an input buffer came to.
    private enum Outcome {
        case needsInput
        case streamEnded
        case failed(CompressionError)
    }

    /// zlib keeps a pointer back to the stream in its state, so the stream lives at a stable,
    /// separately allocated address for the inflater's whole life.
    private let stream: UnsafeMutablePointer<z_stream>
    private let format: CompressionFormat
    private let limit: Int
    private var state: State

    /// The number of decompressed bytes produced so far; never more than the limit.
    public private(set) var totalOutput = 0

    /// Creates an inflater and allocates zlib's decompression state.
    ///
    /// - Parameters:
    ///   - format: The framing of the compressed stream. With ``CompressionFormat/gzip``, several
    ///     concatenated gzip members are decompressed one after another, as `gzip -d` does.
    ///   - limit: The most decompressed bytes to produce, in total, before refusing the stream.
    /// - Throws: ``CompressionError/invalidConfiguration`` for a negative limit,
    ///   ``CompressionError/outOfMemory`` if zlib cannot allocate its state.
    public init(format: CompressionFormat, limit: Int) throws(CompressionError) {
        guard limit >= 0 else { throw .invalidConfiguration }
        self.format = format
        self.limit = limit
        self.stream = .allocate(capacity: 1)
        self.stream.initialize(to: z_stream())
        let rc = CZlib_inflateInit2(self.stream, format.windowBits)
        guard rc == Z_OK else {
            self.stream.deinitialize(count: 1)
            self.stream.deallocate()
            throw rc == Z_MEM_ERROR ? .outOfMemory : .invalidConfiguration
        }
        self.state = .active
    }

    deinit {
        self.end()
        self.stream.deinitialize(count: 1)
        self.stream.deallocate()
    }

    /// Whether a complete stream has been decompressed.
    public var isFinished: Bool {
        self.state == .finished
    }

    /// Releases zlib's state now. Idempotent; the inflater takes no input afterwards.
    public func end() {
        guard self.state == .active else {
            return
        }
        self.state = .ended
        inflateEnd(self.stream)
    }

    /// Decompresses the readable bytes of `input`, appending the plain bytes to `output`.
    ///
    /// Consumes all of `input` unless the stream ends within it. Input after the end of the
    /// stream is corrupt, except further members of a gzip stream.
    ///
    /// - Parameters:
    ///   - input: The next compressed bytes; its reader index moves past what was consumed.
    ///   - output: The buffer the decompressed bytes are written into, after its readable bytes.
    /// - Throws: ``CompressionError/limitExceeded`` as soon as the output would pass the limit,
    ///   ``CompressionError/corruptData`` for invalid input or data after the stream's end,
    ///   ``CompressionError/streamEnded`` after ``end()`` or an earlier error.
    ///   After an error the inflater is ended.
    public func decompress(_ input: inout ByteBuffer, into output: inout ByteBuffer) throws(CompressionError) {
        switch self.state {
        case .ended:
            throw .streamEnded
        case .finished:
            guard input.readableBytes == 0 else {
                throw .corruptData
            }
            return
        case .active:
            break
        }
        let outcome = input.readWithUnsafeReadableBytes { bytes -> (Int, Outcome) in
            self.inflate(bytes, into: &output)
        }
        switch outcome {
        case .needsInput:
            return
        case .streamEnded:
            // Releases zlib's state at once; the stream is complete.
            inflateEnd(self.stream)
            self.state = .finished
            if input.readableBytes > 0 {
                throw .corruptData
            }
        case .failed(let error):
            self.end()
            throw error
        }
    }

    /// Declares the end of the input and checks that the stream was complete. Ends the inflater.
    ///
    /// - Throws: ``CompressionError/truncatedData`` if the stream stopped before its end.
    public func finish() throws(CompressionError) {
        switch self.state {
        case .finished:
            return
        case .active:
            self.end()
            throw .truncatedData
        case .ended:
            throw .streamEnded
        }
    }

    /// Decompresses a complete body.
    ///
    /// - Parameters:
    ///   - body: The compressed bytes. The buffer is read, not copied.
    ///   - format: The framing of the compressed stream.
    ///   - limit: The most decompressed bytes to produce before refusing the body.
    ///   - allocator: Allocates the output buffer.
    /// - Returns: The decompressed bytes.
    /// - Throws: ``CompressionError/limitExceeded``, ``CompressionError/corruptData`` or
    ///   ``CompressionError/truncatedData``.
    public static func decompress(
        _ body: ByteBuffer,
        format: CompressionFormat,
        limit: Int,
        allocator: ByteBufferAllocator
    ) throws(CompressionError) -> ByteBuffer {
        let inflater = try Inflater(format: format, limit: limit)
        var input = body
        var output = allocator.buffer(capacity: min(limit, max(4 * input.readableBytes, 4096)))
        try inflater.decompress(&input, into: &output)
        try inflater.finish()
        return output
    }

    /// Runs `inflate` over `bytes` until they are consumed, the stream ends, or an error.
    /// Returns how many bytes were consumed and the outcome.
    private func inflate(_ bytes: UnsafeRawBufferPointer, into output: inout ByteBuffer) -> (Int, Outcome) {
        // The number of bytes handed to zlib so far; zlib counts in 32 bits, so more than 4 GB goes in slices.
        var handed = 0
        guard bytes.count > 0 else {
            return (0, .needsInput)
        }
        defer {
            self.stream.pointee.next_in = nil
            self.stream.pointee.avail_in = 0
            self.stream.pointee.next_out = nil
            self.stream.pointee.avail_out = 0
        }
        while true {
            if self.stream.pointee.avail_in == 0 && handed < bytes.count {
                let sliceLength = min(bytes.count - handed, Int(UInt32.max))
                let start = bytes.baseAddress!.advanced(by: handed).assumingMemoryBound(to: UInt8.self)
                self.stream.pointee.next_in = UnsafeMutablePointer(mutating: start)
                self.stream.pointee.avail_in = UInt32(sliceLength)
                handed += sliceLength
            }
            let step = self.inflateStep(into: &output, inputLength: bytes.count)
            let consumed = handed - Int(self.stream.pointee.avail_in)
            switch step {
            case .overflow:
                return (consumed, .failed(.limitExceeded))
            case .inflated(Z_OK, let outputFull), .inflated(Z_BUF_ERROR, let outputFull):
                // zlib stops either with its window full (more output may be pending) or with all
                // input consumed; anything else means it cannot go on.
                if outputFull || (self.stream.pointee.avail_in == 0 && handed < bytes.count) {
                    continue
                }
                if self.stream.pointee.avail_in == 0 {
                    return (consumed, .needsInput)
                }
                return (consumed, .failed(.corruptData))
            case .inflated(Z_STREAM_END, _):
                if consumed < bytes.count && self.format.allowsConcatenatedMembers {
                    // Another gzip member follows: decode it with the same state.
                    inflateReset(self.stream)
                    continue
                }
                return (consumed, .streamEnded)
            case .inflated(Z_MEM_ERROR, _):
                return (consumed, .failed(.outOfMemory))
            case .inflated:
                // Z_DATA_ERROR, Z_NEED_DICT (preset dictionaries are not supported), Z_STREAM_ERROR.
                return (consumed, .failed(.corruptData))
            }
        }
    }

    /// What one call to `inflate` did.
    private enum Step {
        /// zlib's return code, and whether it filled the whole output window.
        case inflated(Int32, outputFull: Bool)
        /// The stream has more output than the limit allows.
        case overflow
    }

    /// One call to `inflate`, with an output window that ends at the limit. Once the limit is
    /// reached, a single byte outside `output` probes whether the stream has more to give.
    private func inflateStep(into output: inout ByteBuffer, inputLength: Int) -> Step {
        let remaining = self.limit - self.totalOutput
        guard remaining > 0 else {
            var probe: UInt8 = 0
            let rc = withUnsafeMutablePointer(to: &probe) { pointer in
                self.stream.pointee.next_out = pointer
                self.stream.pointee.avail_out = 1
                return CZlib.inflate(self.stream, Z_NO_FLUSH)
            }
            return self.stream.pointee.avail_out == 0 ? .overflow : .inflated(rc, outputFull: false)
        }
        var rc = Z_OK
        var outputFull = false
        let window = min(remaining, max(2 * inputLength, 16 * 1024))
        let written = output.writeWithUnsafeMutableBytes(minimumWritableBytes: window) { out in
            let room = min(out.count, remaining, Int(UInt32.max))
            self.stream.pointee.next_out = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
            self.stream.pointee.avail_out = UInt32(room)
            rc = CZlib.inflate(self.stream, Z_NO_FLUSH)
            outputFull = self.stream.pointee.avail_out == 0
            return room - Int(self.stream.pointee.avail_out)
        }
        self.totalOutput += written
        return .inflated(rc, outputFull: outputFull)
    }
}

@available(*, unavailable, message: "An inflater holds mutable zlib state; use it from one task.")
extension Inflater: Sendable {}
