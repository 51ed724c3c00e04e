import CSystemZlib

/// The baseline: the system zlib called directly, one stream per body, into a reused output buffer.
final class RawZlib {
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private var output: UnsafeMutableBufferPointer<UInt8>
    private let level: Int32

    init(level: Int32, maximumInput: Int) {
        self.level = level
        self.stream.initialize(to: z_stream())
        // deflateBound's worst case for stored blocks plus the gzip header and trailer.
        self.output = .allocate(capacity: maximumInput + maximumInput / 1000 + 1024)
    }

    deinit {
        self.stream.deinitialize(count: 1)
        self.stream.deallocate()
        self.output.deallocate()
    }

    /// Compresses `input` to a complete gzip stream and returns its length.
    func gzip(_ input: UnsafeRawBufferPointer) -> Int {
        var rc = CSystemZlib_deflateInit2(self.stream, self.level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY)
        precondition(rc == Z_OK)
        self.stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: UInt8.self))
        self.stream.pointee.avail_in = UInt32(input.count)
        self.stream.pointee.next_out = self.output.baseAddress
        self.stream.pointee.avail_out = UInt32(self.output.count)
        rc = deflate(self.stream, Z_FINISH)
        precondition(rc == Z_STREAM_END)
        let length = Int(self.stream.pointee.total_out)
        deflateEnd(self.stream)
        return length
    }
}
