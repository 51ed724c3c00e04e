import JaanCompression
import NIOCore

/// Compresses the same JSON bodies with JaanCompression's middleware in an in-process JaanHTTP
/// pipeline, with its Deflater alone, with the system zlib called directly, and with swift-nio-extras'
/// HTTPResponseCompressor in an EmbeddedChannel pipeline, in one run; prints a Markdown table of medians.
///
/// Run: `swift run -c release --package-path Benchmarks CompressionBenchmark [rounds]`.
@main
struct CompressionBenchmark {
    static func main() async throws {
        try await self.run()
    }

    /// Runs off the main actor, so that each contender's calls stay on one thread: nothing here suspends.
    nonisolated static func run() async throws {
        let rounds = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 21
        let allocator = ByteBufferAllocator()
        print("| body | contender | median CPU µs/body | MB/s | vs raw zlib | vs nio-extras |")
        print("|---|---|---|---|---|---|")
        var ratios: [String] = []
        var costs: [String] = []
        for size in [10 * 1024, 100 * 1024] {
            let payload = Payload.json(size: size)
            let body = ByteBuffer(bytes: payload)
            let raw = RawZlib(level: 6, maximumInput: payload.count)
            let nio = try NIOCompressor()
            let pipeline = MiddlewarePipeline(body: body)

            let jaanOutput = try Deflater.compress(body, format: .gzip, allocator: allocator)
            let nioOutput = try nio.gzip(body)
            let middlewareOutput = try await pipeline.respond()
            let rawLength = payload.withUnsafeBytes { raw.gzip($0) }
            try self.verify(jaanOutput, equals: payload, "JaanCompression")
            try self.verify(nioOutput, equals: payload, "nio-extras")
            try self.verify(middlewareOutput, equals: payload, "JaanCompression middleware")
            precondition(rawLength == jaanOutput.readableBytes, "the same zlib at the same level gives the same stream")
            ratios.append(
                "\(size / 1024) KB JSON: \(payload.count) → \(jaanOutput.readableBytes) bytes, "
                    + "\(Self.format(100 * (1 - Double(jaanOutput.readableBytes) / Double(payload.count)), digits: 1)) % smaller"
            )

            let identity = MiddlewarePipeline(body: body, acceptEncoding: "identity")
            let contenders = [
                Contender(name: "same pipeline, client asks for identity") { try await identity.respond().readableBytes },
                Contender(name: "JaanCompression middleware (router + handler)") { try await pipeline.respond().readableBytes },
                Contender(name: "JaanCompression Deflater") {
                    try Deflater.compress(body, format: .gzip, allocator: allocator).readableBytes
                },
                Contender(name: "raw zlib") { payload.withUnsafeBytes { raw.gzip($0) } },
                Contender(name: "nio-extras HTTPResponseCompressor") { try nio.gzip(body).readableBytes },
            ]
            let measurement = Measurement(rounds: rounds, iterations: size <= 10 * 1024 ? 200 : 30)
            let medians = try await measurement.medians(of: contenders)
            let compressionCost = medians["JaanCompression middleware (router + handler)"]! - medians["same pipeline, client asks for identity"]!
            costs.append(
                "\(size / 1024) KB: compression through the middleware (middleware pipeline minus identity pipeline) "
                    + "\(Self.format(compressionCost, digits: 1)) µs = \(Self.format(compressionCost / medians["raw zlib"]!, digits: 3)) × raw zlib"
            )
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
        for line in costs {
            print("- \(line)")
        }
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
