import JaanHTTP
import NIOCore

/// A request body decompressed chunk by chunk as it is read, ending with a check that the
/// compressed stream was complete.
struct InflatingBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    typealias Failure = any Error

    let compressed: RequestBody
    let format: CompressionFormat
    let limit: Int

    func makeAsyncIterator() -> Iterator {
        Iterator(compressed: self.compressed.makeAsyncIterator(), format: self.format, limit: self.limit)
    }

    struct Iterator: AsyncIteratorProtocol {
        var compressed: RequestBody.AsyncIterator
        let format: CompressionFormat
        let limit: Int
        var inflater: Inflater?
        var done = false

        init(compressed: RequestBody.AsyncIterator, format: CompressionFormat, limit: Int) {
            self.compressed = compressed
            self.format = format
            self.limit = limit
        }

        mutating func next() async throws -> ByteBuffer? {
            guard !self.done else {
                return nil
            }
            do {
                let inflater = try self.inflater ?? Inflater(format: self.format, limit: self.limit)
                self.inflater = inflater
                while var chunk = try await self.compressed.next() {
                    var plain = ByteBuffer()
                    try inflater.decompress(&chunk, into: &plain)
                    if plain.readableBytes > 0 {
                        return plain
                    }
                }
                self.done = true
                try inflater.finish()
                return nil
            } catch let error as CompressionError {
                self.done = true
                self.inflater?.end()
                throw error.httpError
            }
        }
    }
}
