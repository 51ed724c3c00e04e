import Foundation
import JaanCompression
import NIOCore
import Testing

@Suite("Decompression bomb")
struct DecompressionBombTests {
    static let inflatedSize = 1_100 * 1024 * 1024
    static let limit = 32 * 1024 * 1024

    /// Made once for all tests of the suite.
    static let bomb = Result { try makeBomb() }

    /// About 1 MB of gzip that inflates to 1.1 GB of zeros, made by streaming zeros through the deflater.
    static func makeBomb() throws -> ByteBuffer {
        let deflater = try Deflater(format: .gzip)
        let zeros = ByteBuffer(repeating: 0, count: 1024 * 1024)
        var bomb = ByteBuffer()
        for index in 0..<(inflatedSize / zeros.readableBytes) {
            var chunk = zeros
            try deflater.compress(&chunk, into: &bomb, flush: index == inflatedSize / zeros.readableBytes - 1 ? .finish : .none)
        }
        return bomb
    }

    /// The resident set size of this process, from /proc/self/status.
    static func residentBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        let kilobytes = try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
        return kilobytes * 1024
    }

    @Test func bombIsRefusedAtTheLimitWithLowMemory() throws {
        let bomb = try Self.bomb.get()
        #expect(bomb.readableBytes < 4 * 1024 * 1024)
        // The gzip trailer (ISIZE) states the inflated length: 1.1 GB.
        #expect(bomb.getInteger(at: bomb.writerIndex - 4, endianness: .little, as: UInt32.self) == UInt32(Self.inflatedSize))

        let residentBefore = try Self.residentBytes()
        let inflater = try Inflater(format: .gzip, limit: Self.limit)
        var input = bomb
        var output = ByteBuffer()
        #expect(throws: CompressionError.limitExceeded) {
            try inflater.decompress(&input, into: &output)
        }
        let residentAfter = try Self.residentBytes()
        #expect(output.readableBytes == Self.limit)
        #expect(inflater.totalOutput == Self.limit)
        // The output is still held here: the 32 MB limit, never the 1.1 GB. The margin leaves room for
        // other tests running in the same process at the same time.
        #expect(residentAfter - residentBefore < 512 * 1024 * 1024)
    }

    @Test func bombStreamedInChunksIsRefusedAtTheLimit() throws {
        let bomb = try Self.bomb.get()
        let inflater = try Inflater(format: .gzip, limit: Self.limit)
        var held = 0
        var refused = false
        var input = bomb
        while let chunk = input.readSlice(length: min(64 * 1024, input.readableBytes)), chunk.readableBytes > 0 {
            var chunk = chunk
            var output = ByteBuffer()
            do {
                try inflater.decompress(&chunk, into: &output)
            } catch {
                #expect(error == .limitExceeded)
                refused = true
            }
            held += output.readableBytes
            if refused { break }
        }
        #expect(refused)
        #expect(held == Self.limit)
    }
}
