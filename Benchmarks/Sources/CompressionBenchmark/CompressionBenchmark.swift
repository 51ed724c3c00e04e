import JaanCompression
import NIOCore

/// Compresses the same JSON bodies with JaanCompression, with the system zlib called directly, and
/// with swift-nio-extras' HTTPResponseCompressor, in one run, and prints a Markdown table of medians.
///
/// Run: `swift run -c release --package-path Benchmarks CompressionBenchmark [rounds]`.
@main
struct CompressionBenchmark {
    static func main() throws {
        let rounds = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 21
        let allocator = ByteBufferAllocator()
        print("| body | contender | median CPU µs/body | MB/s | vs raw zlib | vs nio-extras |")
        print("|---|---|---|---|---|---|")
        var ratios: [String] = []
        for size in [10 * 1024, 100 * 1024] {
            let payload = Payload.json(size: size)
            let body = ByteBuffer(bytes: payload)
            let raw = RawZlib(level: 6, maximumInput: payload.count)
            let nio = try NIOCompressor()

            let jaanOutput = try Deflater.compress(body, format: .gzip, allocator: allocator)
            let nioOutput = try nio.gzip(body)
            let rawLength = payload.withUnsafeBytes { raw.gzip($0) }
            try self.verify(jaanOutput, equals: payload, "JaanCompression")
            try self.verify(nioOutput, equals: payload, "nio-extras")
            precondition(rawLength == jaanOutput.readableBytes, "the same zlib at the same level gives the same stream")
            ratios.append(
                "\(size / 1024) KB JSON: \(payload.count) → \(jaanOutput.readableBytes) bytes, "
                    + "\(Self.format(100 * (1 - Double(jaanOutput.readableBytes) / Double(payload.count)), digits: 1)) % smaller"
            )

            let contenders = [
                Contender(name: "JaanCompression Deflater") {
                    try Deflater.compress(body, format: .gzip, allocator: allocator).readableBytes
                },
                Contender(name: "raw zlib") { payload.withUnsafeBytes { raw.gzip($0) } },
                Contender(name: "nio-extras HTTPResponseCompressor") { try nio.gzip(body).readableBytes },
            ]
            let measurement = Measurement(rounds: rounds, iterations: size <= 10 * 1024 ? 200 : 30)
            let medians = try measurement.medians(of: contenders)
            for contender in contenders {
                let median = medians[contender.name]!
                print(
                    "| \(size / 1024) KB | \(contender.name) | \(Self.format(median, digits: 1)) "
                        + "| \(Self.format(Double(payload.count) / median, digits: 0)) "
                        + "| \(Self.format(median / medians["raw zlib"]!, digits: 3)) "
                        + "| \(Self.format(median / medians["nio-extras HTTPResponseCompressor"]!, digits: 3)) |"
                )
            }
        }
        print("")
        for line in ratios {
            print("- \(line)")
        }
    }

    static func verify(_ compressed: ByteBuffer, equals payload: [UInt8], _ name: String) throws {
        let plain: ByteBuffer
        do {
            plain = try Inflater.decompress(compressed, format: .gzip, limit: payload.count, allocator: ByteBufferAllocator())
        } catch {
            fatalError(
                "\(name)'s output does not decompress: \(error), \(compressed.readableBytes) bytes starting \(compressed.getBytes(at: compressed.readerIndex, length: 12) ?? [])"
            )
        }
        precondition(plain.readableBytesView.elementsEqual(payload), "\(name)'s round trip differs")
    }

    static func format(_ value: Double, digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        return digits == 0 ? String(Int(rounded)) : String(rounded)
    }
}
