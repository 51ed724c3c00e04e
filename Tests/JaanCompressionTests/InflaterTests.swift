import Foundation
import JaanCompression
import NIOCore
import Testing

@Suite("Inflater")
struct InflaterTests {
    let allocator = ByteBufferAllocator()

    @Test func readsSystemGzipOutput() throws {
        let plain = TestData.json(size: 200_000)
        let gzip = try GzipTool.compress(plain, level: 9)
        let decompressed = try Inflater.decompress(ByteBuffer(bytes: gzip), format: .gzip, limit: 1 << 20, allocator: self.allocator)
        #expect(decompressed.bytes == plain)
    }

    @Test func readsSystemGzipOutputInSmallChunks() throws {
        let plain = TestData.json(size: 60_000)
        let gzip = try GzipTool.compress(plain)
        let inflater = try Inflater(format: .gzip, limit: plain.count)
        var output = ByteBuffer()
        for start in stride(from: 0, to: gzip.count, by: 97) {
            var chunk = ByteBuffer(bytes: gzip[start..<min(start + 97, gzip.count)])
            try inflater.decompress(&chunk, into: &output)
            #expect(chunk.readableBytes == 0)
        }
        try inflater.finish()
        #expect(output.bytes == plain)
        #expect(inflater.totalOutput == plain.count)
    }

    @Test func readsZlibAndRawStreamsBuiltFromSystemGzipOutput() throws {
        let plain = TestData.json(size: 40_000)
        let raw = Framing.rawDeflate(fromGzip: try GzipTool.compress(plain))
        let fromRaw = try Inflater.decompress(ByteBuffer(bytes: raw), format: .raw, limit: plain.count, allocator: self.allocator)
        #expect(fromRaw.bytes == plain)
        let zlib = Framing.zlib(rawDeflate: raw, plain: plain)
        let fromZlib = try Inflater.decompress(ByteBuffer(bytes: zlib), format: .zlib, limit: plain.count, allocator: self.allocator)
        #expect(fromZlib.bytes == plain)
    }

    @Test func readsConcatenatedGzipMembers() throws {
        let first = Array("first member\n".utf8)
        let second = TestData.json(size: 5_000)
        let gzip = try GzipTool.compress(first) + GzipTool.compress(second)
        let decompressed = try Inflater.decompress(ByteBuffer(bytes: gzip), format: .gzip, limit: 1 << 20, allocator: self.allocator)
        #expect(decompressed.bytes == first + second)
    }

    @Test func wrongFramingIsCorrupt() throws {
        let gzip = try GzipTool.compress(Array("hello".utf8))
        #expect(throws: CompressionError.corruptData) {
            _ = try Inflater.decompress(ByteBuffer(bytes: gzip), format: .zlib, limit: 1 << 20, allocator: self.allocator)
        }
    }

    @Test func damagedStreamIsCorrupt() throws {
        let plain = TestData.json(size: 20_000)
        var gzip = try GzipTool.compress(plain)
        gzip[gzip.count / 2] ^= 0xFF
        #expect(throws: CompressionError.corruptData) {
            _ = try Inflater.decompress(ByteBuffer(bytes: gzip), format: .gzip, limit: 1 << 20, allocator: self.allocator)
        }
    }

    @Test func checksumMismatchIsCorrupt() throws {
        let plain = TestData.json(size: 20_000)
        var gzip = try GzipTool.compress(plain)
        gzip[gzip.count - 6] ^= 0x01  // inside the CRC-32 trailer
        #expect(throws: CompressionError.corruptData) {
            _ = try Inflater.decompress(ByteBuffer(bytes: gzip), format: .gzip, limit: 1 << 20, allocator: self.allocator)
        }
    }

    @Test func garbageIsCorrupt() throws {
        let garbage = TestData.noise(count: 1_000)
        for format in [CompressionFormat.gzip, .zlib] {
            #expect(throws: CompressionError.corruptData) {
                _ = try Inflater.decompress(ByteBuffer(bytes: garbage), format: format, limit: 1 << 20, allocator: self.allocator)
            }
        }
    }

    @Test func dataAfterTheStreamIsCorrupt() throws {
        let zlib = try Deflater.compress(ByteBuffer(string: "complete"), format: .zlib, allocator: self.allocator)
        let body = zlib.bytes + Array("trailing".utf8)
        #expect(throws: CompressionError.corruptData) {
            _ = try Inflater.decompress(ByteBuffer(bytes: body), format: .zlib, limit: 1 << 20, allocator: self.allocator)
        }
    }

    @Test(arguments: [1, 4, 200, 5_000])
    func truncatedStreamIsRefused(missingBytes: Int) throws {
        let plain = TestData.json(size: 30_000)
        let gzip = try GzipTool.compress(plain)
        let truncated = Array(gzip.dropLast(missingBytes))
        #expect(throws: CompressionError.truncatedData) {
            _ = try Inflater.decompress(ByteBuffer(bytes: truncated), format: .gzip, limit: 1 << 20, allocator: self.allocator)
        }
    }

    @Test func outputExactlyAtTheLimitIsAccepted() throws {
        let plain = TestData.json(size: 10_000)
        let gzip = try Deflater.compress(ByteBuffer(bytes: plain), format: .gzip, allocator: self.allocator)
        let decompressed = try Inflater.decompress(gzip, format: .gzip, limit: plain.count, allocator: self.allocator)
        #expect(decompressed.bytes == plain)
    }

    @Test func outputOneByteOverTheLimitIsRefusedHoldingOnlyTheLimit() throws {
        let plain = TestData.json(size: 10_000)
        var gzip = try Deflater.compress(ByteBuffer(bytes: plain), format: .gzip, allocator: self.allocator)
        let inflater = try Inflater(format: .gzip, limit: plain.count - 1)
        var output = ByteBuffer()
        #expect(throws: CompressionError.limitExceeded) {
            try inflater.decompress(&gzip, into: &output)
        }
        #expect(output.readableBytes == plain.count - 1)
        #expect(output.bytes == Array(plain.dropLast()))
        #expect(throws: CompressionError.streamEnded) {
            try inflater.decompress(&gzip, into: &output)
        }
    }

    @Test func endIsIdempotent() throws {
        let inflater = try Inflater(format: .gzip, limit: 10)
        inflater.end()
        inflater.end()
        var input = ByteBuffer(string: "x")
        var output = ByteBuffer()
        #expect(throws: CompressionError.streamEnded) {
            try inflater.decompress(&input, into: &output)
        }
    }

    @Test func negativeLimitIsRefused() {
        #expect(throws: CompressionError.invalidConfiguration) {
            _ = try Inflater(format: .gzip, limit: -1)
        }
    }
}
