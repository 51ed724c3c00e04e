import CZlib
public import NIOCore

/// A deflate compressor over one zlib stream, in raw, zlib or gzip framing.
///
/// Compress a complete body in one call with ``compress(_:format:configuration:allocator:)``, or a
/// stream chunk by chunk with ``compress(_:into:flush:)``: ``Flush/none`` lets zlib hold back
/// output for better compression, ``Flush/sync`` makes everything given so far decodable at once
/// (for server-sent events), and ``Flush/finish`` ends the stream with its trailer.
///
/// ```swift
/// let deflater = try Deflater(format: .gzip)
/// var output = ByteBuffer()
/// deflater.compress(&event, into: &output, flush: .sync)   // the client can decode `event` now
/// deflater.compress(&last, into: &output, flush: .finish)  // stream complete
/// ```
///
/// zlib's memory (about 256 KB at the default levels) is released by ``end()`` or, at the latest,
/// when the deflater is deinitialized. A deflater is used by one task at a time.
public final class Deflater {
    /// How a deflater compresses. Every knob has zlib's default.
    public struct Configuration: Sendable, Hashable {
        /// The compression level, from 0 (store only) to 9 (smallest output, slowest). Defaults to 6.
        public var level: Int = 6

        /// How much memory zlib uses for its internal state, from 1 (least, slower and worse) to 9 (most).
        /// Defaults to 8, about 256 KB per stream together with the 32 KB window.
        public var memoryLevel: Int = 8

        /// Creates a configuration with zlib's defaults: level 6, memory level 8.
        public init() {}

        var isValid: Bool {
            (0...9).contains(self.level) && (1...9).contains(self.memoryLevel)
        }
    }

    /// How much of the output a call to ``Deflater/compress(_:into:flush:)`` must complete.
    public struct Flush: Sendable, Hashable {
        let mode: Int32

        /// Let zlib keep output back until it has enough input to compress well.
        public static let none = Flush(mode: Z_NO_FLUSH)

        /// Emit everything given so far, aligned to a byte, so that a decoder can read it now.
        /// Costs a few bytes each time; use it when the receiver must see the data at once.
        public static let sync = Flush(mode: Z_SYNC_FLUSH)

        /// Emit everything and end the stream with its trailer. No input is accepted afterwards.
        public static let finish = Flush(mode: Z_FINISH)
    }

    private enum State {
        case active
        case finished
        case ended
    }

    /// zlib keeps a pointer back to the stream in its state, so the stream lives at a stable,
    /// separately allocated address for the deflater's whole life.
    private let stream: UnsafeMutablePointer<z_stream>
    private var state: State

    /// Creates a deflater and allocates zlib's compression state.
    ///
    /// - Parameters:
    ///   - format: The framing of the compressed stream: HTTP's `gzip` is ``CompressionFormat/gzip``,
    ///     HTTP's `deflate` is ``CompressionFormat/zlib``.
    ///   - configuration: Compression level and memory level. Defaults to 6 and 8.
    /// - Throws: ``CompressionError/invalidConfiguration`` for a level out of range,
    ///   ``CompressionError/outOfMemory`` if zlib cannot allocate its state.
    public init(format: CompressionFormat, configuration: Configuration = .init()) throws(CompressionError) {
        guard configuration.isValid else { throw .invalidConfiguration }
        self.stream = .allocate(capacity: 1)
        self.stream.initialize(to: z_stream())
        let rc = CZlib_deflateInit2(
            self.stream,
            Int32(configuration.level),
            Z_DEFLATED,
            format.windowBits,
            Int32(configuration.memoryLevel),
            Z_DEFAULT_STRATEGY
        )
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

    /// Whether the stream has been finished with ``Flush/finish`` and takes no more input.
    public var isFinished: Bool {
        self.state != .active
    }

    /// Releases zlib's state now. Idempotent; the deflater takes no input afterwards.
    public func end() {
        guard self.state != .ended else { return }
        self.state = .ended
        deflateEnd(self.stream)
    }

    /// The most bytes that `sourceLength` bytes can compress to in one ``Flush/finish`` call on a
    /// fresh stream, framing included (zlib's `deflateBound`).
    ///
    /// - Parameter sourceLength: The number of uncompressed bytes.
    public func compressedSizeBound(sourceLength: Int) -> Int {
        guard self.state != .ended else { return 0 }
        return Int(deflateBound(self.stream, UInt(sourceLength)))
    }

    /// Compresses the readable bytes of `input`, appending the compressed bytes to `output`.
    ///
    /// All of `input` is consumed (its reader index moves to its writer index). `output` grows as
    /// needed; reserve ``compressedSizeBound(sourceLength:)`` bytes in it first to compress a
    /// complete body without a reallocation.
    ///
    /// - Parameters:
    ///   - input: The uncompressed bytes; may be empty, for example to flush or finish.
    ///   - output: The buffer the compressed bytes are written into, after its readable bytes.
    ///   - flush: How much output to complete: ``Flush/none``, ``Flush/sync`` or ``Flush/finish``.
    /// - Throws: ``CompressionError/streamEnded`` if the stream was finished or ended before.
    public func compress(_ input: inout ByteBuffer, into output: inout ByteBuffer, flush: Flush) throws(CompressionError) {
        guard self.state == .active else { throw .streamEnded }
        let streamEnded = input.readWithUnsafeReadableBytes { bytes -> (Int, Bool) in
            self.deflate(bytes, into: &output, flush: flush)
        }
        if streamEnded {
            self.state = .finished
        }
    }

    /// Compresses a complete body into a new buffer sized by `deflateBound`, in one zlib call.
    ///
    /// - Parameters:
    ///   - body: The uncompressed bytes. The buffer is read, not copied.
    ///   - format: The framing of the compressed stream.
    ///   - configuration: Compression level and memory level. Defaults to 6 and 8.
    ///   - allocator: Allocates the output buffer.
    /// - Returns: The complete compressed stream.
    /// - Throws: ``CompressionError/invalidConfiguration`` or ``CompressionError/outOfMemory``.
    public static func compress(
        _ body: ByteBuffer,
        format: CompressionFormat,
        configuration: Configuration = .init(),
        allocator: ByteBufferAllocator
    ) throws(CompressionError) -> ByteBuffer {
        let deflater = try Deflater(format: format, configuration: configuration)
        defer { deflater.end() }
        var input = body
        var output = allocator.buffer(capacity: deflater.compressedSizeBound(sourceLength: input.readableBytes))
        try deflater.compress(&input, into: &output, flush: .finish)
        return output
    }

    /// Runs `deflate` over `bytes` until all are consumed and `flush` is complete.
    /// Returns how many bytes were consumed and whether the stream ended.
    private func deflate(_ bytes: UnsafeRawBufferPointer, into output: inout ByteBuffer, flush: Flush) -> (Int, Bool) {
        var offset = 0
        var streamEnded = false
        defer {
            self.stream.pointee.next_in = nil
            self.stream.pointee.avail_in = 0
            self.stream.pointee.next_out = nil
            self.stream.pointee.avail_out = 0
        }
        // zlib counts in 32 bits: feed more than 4 GB in slices, flushing only after the last one.
        repeat {
            let sliceLength = min(bytes.count - offset, Int(UInt32.max))
            let isLastSlice = offset + sliceLength == bytes.count
            let mode = isLastSlice ? flush.mode : Z_NO_FLUSH
            if sliceLength > 0 {
                let start = bytes.baseAddress!.advanced(by: offset).assumingMemoryBound(to: UInt8.self)
                self.stream.pointee.next_in = UnsafeMutablePointer(mutating: start)
            }
            self.stream.pointee.avail_in = UInt32(sliceLength)
            // A sync flush adds an empty stored block (5 bytes); the bound covers the rest.
            var reserve = Int(deflateBound(self.stream, UInt(sliceLength))) + 8
            while true {
                var rc = Z_OK
                var outputFull = false
                output.writeWithUnsafeMutableBytes(minimumWritableBytes: reserve) { out in
                    let room = min(out.count, Int(UInt32.max))
                    self.stream.pointee.next_out = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
                    self.stream.pointee.avail_out = UInt32(room)
                    rc = CZlib.deflate(self.stream, mode)
                    outputFull = self.stream.pointee.avail_out == 0
                    return room - Int(self.stream.pointee.avail_out)
                }
                // Z_BUF_ERROR only says that no progress was possible, e.g. nothing left to flush.
                precondition(rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR, "deflate failed on a consistent stream")
                if rc == Z_STREAM_END {
                    streamEnded = true
                    break
                }
                // With room left over, zlib has consumed all input and completed the flush,
                // except that Z_FINISH must go on until Z_STREAM_END.
                if !outputFull && (mode != Z_FINISH || rc == Z_BUF_ERROR) {
                    break
                }
                reserve = max(reserve, 16 * 1024)
            }
            offset += sliceLength - Int(self.stream.pointee.avail_in)
        } while offset < bytes.count && !streamEnded
        return (offset, streamEnded)
    }
}

@available(*, unavailable, message: "A deflater holds mutable zlib state; use it from one task.")
extension Deflater: Sendable {}
