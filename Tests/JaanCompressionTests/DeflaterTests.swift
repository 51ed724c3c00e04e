import JaanCompression
import NIOCore
import Testing

@Suite("Deflater")
struct DeflaterTests {
    let allocator = ByteBufferAllocator()

    @Test func gzipOutputIsReadBySystemGzip() throws {
        let plain = TestData.json(size: 200_000)
        let compressed = try Deflater.compress(ByteBuffer(bytes: plain), format: .gzip, allocator: self.allocator)
        #expect(compressed.readableBytes < plain.count / 3)
        let result = try GzipTool.decompress(compressed.bytes)
        #expect(result.status == 0)
        #expect(result.output == plain)
    }

    @Test func zlibAndRawFramingsCarryTheSameStreamAsGzipReads() throws {
        let plain = TestData.json(size: 50_000)
        let zlib = try Deflater.compress(ByteBuffer(bytes: plain), format: .zlib, allocator: self.allocator).bytes
        #expect(Array(zlib.prefix(2)) == [0x78, 0x9C])
        #expect(Array(zlib.suffix(4)) == Framing.bigEndian(Framing.adler32(plain)))
        let raw = try Deflater.compress(ByteBuffer(bytes: plain), format: .raw, allocator: self.allocator).bytes
        #expect(raw == Framing.rawDeflate(fromZlib: zlib))

        let rewrapped = Framing.gzip(rawDeflate: raw, plain: plain)
        let result = try GzipTool.decompress(rewrapped)
        #expect(result.status == 0)
        #expect(result.output == plain)
    }

    @Test func oneShotOutputFitsInDeflateBound() throws {
        let plain = TestData.noise(count: 100_000)
        let deflater = try Deflater(format: .gzip)
        let bound = deflater.compressedSizeBound(sourceLength: plain.count)
        let compressed = try Deflater.compress(ByteBuffer(bytes: plain), format: .gzip, allocator: self.allocator)
        #expect(compressed.readableBytes > plain.count)
        #expect(compressed.readableBytes <= bound)
        #expect(try GzipTool.decompress(compressed.bytes).output == plain)
    }

    @Test func emptyBodyIsAValidStream() throws {
        let compressed = try Deflater.compress(ByteBuffer(), format: .gzip, allocator: self.allocator)
        let result = try GzipTool.decompress(compressed.bytes)
        #expect(result.status == 0)
        #expect(result.output.isEmpty)
    }

    @Test func syncFlushMakesEachChunkDecodableAtOnce() throws {
        let deflater = try Deflater(format: .gzip)
        let inflater = try Inflater(format: .gzip, limit: 1 << 20)
        var stream: [UInt8] = []
        var sent: [UInt8] = []
        for index in 0..<4 {
            let event = Array("data: {\"tick\":\(index),\"payload\":\"\(String(repeating: "x", count: 100 * index))\"}\n\n".utf8)
            var input = ByteBuffer(bytes: event)
            var flushed = ByteBuffer()
            try deflater.compress(&input, into: &flushed, flush: .sync)
            #expect(input.readableBytes == 0)
            #expect(Array(flushed.bytes.suffix(4)) == [0x00, 0x00, 0xFF, 0xFF])
            stream += flushed.bytes
            sent += event

            var plain = ByteBuffer()
            try inflater.decompress(&flushed, into: &plain)
            #expect(plain.bytes == event)
            // gzip reads everything up to the flush point, then complains that the stream goes on.
            #expect(try GzipTool.decompress(stream).output == sent)
        }
        var empty = ByteBuffer()
        var trailer = ByteBuffer()
        try deflater.compress(&empty, into: &trailer, flush: .finish)
        stream += trailer.bytes
        #expect(deflater.isFinished)
        let result = try GzipTool.decompress(stream)
        #expect(result.status == 0)
        #expect(result.output == sent)
    }

    @Test func noFlushChunksFormOneStream() throws {
        let plain = TestData.json(size: 300_000)
        let deflater = try Deflater(format: .zlib)
        var output = ByteBuffer()
        var offset = 0
        while offset < plain.count {
            let end = min(offset + 7_000, plain.count)
            var chunk = ByteBuffer(bytes: plain[offset..<end])
            try deflater.compress(&chunk, into: &output, flush: .none)
            offset = end
        }
        var empty = ByteBuffer()
        try deflater.compress(&empty, into: &output, flush: .finish)
        let raw = Framing.rawDeflate(fromZlib: output.bytes)
        #expect(try GzipTool.decompress(Framing.gzip(rawDeflate: raw, plain: plain)).output == plain)
    }

    @Test func compressionLevelIsApplied() throws {
        let plain = TestData.json(size: 20_000)
        var stored = Deflater.Configuration()
        stored.level = 0
        var best = Deflater.Configuration()
        best.level = 9
        best.memoryLevel = 9
        let storedSize = try Deflater.compress(ByteBuffer(bytes: plain), format: .raw, configuration: stored, allocator: self.allocator)
        let bestSize = try Deflater.compress(ByteBuffer(bytes: plain), format: .raw, configuration: best, allocator: self.allocator)
        #expect(storedSize.readableBytes > plain.count)
        #expect(bestSize.readableBytes < plain.count / 4)
    }

    @Test(arguments: [(-1, 8), (10, 8), (6, 0), (6, 10)])
    func invalidLevelsAreRefused(level: Int, memoryLevel: Int) {
        var configuration = Deflater.Configuration()
        configuration.level = level
        configuration.memoryLevel = memoryLevel
        #expect(throws: CompressionError.invalidConfiguration) {
            _ = try Deflater(format: .gzip, configuration: configuration)
        }
    }

    @Test func endIsIdempotentAndStopsTheStream() throws {
        let deflater = try Deflater(format: .gzip)
        deflater.end()
        deflater.end()
        var input = ByteBuffer(string: "late")
        var output = ByteBuffer()
        #expect(throws: CompressionError.streamEnded) {
            try deflater.compress(&input, into: &output, flush: .sync)
        }
        #expect(output.readableBytes == 0)
    }

    @Test func finishedStreamTakesNoMoreInput() throws {
        let deflater = try Deflater(format: .zlib)
        var input = ByteBuffer(string: "body")
        var output = ByteBuffer()
        try deflater.compress(&input, into: &output, flush: .finish)
        #expect(throws: CompressionError.streamEnded) {
            try deflater.compress(&input, into: &output, flush: .finish)
        }
    }
}
