import HTTPTypes
import JaanCompression
import JaanHTTP
import JaanHTTPTesting
import NIOCore
import NIOHTTP1
import Testing

@Suite("Response compression middleware", .timeLimit(.minutes(1)))
struct ResponseCompressionMiddlewareTests {
    static let json = TestData.json(size: 50_000)
    static let noise = TestData.noise(count: 50_000)

    static func router(
        _ configure: (inout ResponseCompressionMiddleware<BasicRequestContext>.Configuration) -> Void = { _ in }
    ) -> Router<BasicRequestContext> {
        var configuration = ResponseCompressionMiddleware<BasicRequestContext>.Configuration()
        configure(&configuration)
        let router = Router()
        router.add(middleware: ResponseCompressionMiddleware(configuration: configuration))
        router.get("/json") { _, _ in Self.complete(json, [.contentType: "application/json", .eTag: "\"v1\""]) }
        router.get("/small") { _, _ in Self.complete(Array(json.prefix(1000)), [.contentType: "application/json"]) }
        router.get("/png") { _, _ in Self.complete(json, [.contentType: "image/png"]) }
        router.get("/encoded") { _, _ in Self.complete(json, [.contentType: "application/json", .contentEncoding: "br"]) }
        router.get("/no-transform") { _, _ in Self.complete(json, [.contentType: "application/json", .cacheControl: "no-transform"]) }
        router.get("/noise") { _, _ in Self.complete(noise, [.contentType: "text/plain"]) }
        router.get("/no-content") { _, _ in Response(status: .noContent, headers: [.contentType: "application/json"]) }
        router.get("/not-modified") { _, _ in Self.complete([], [.contentType: "application/json", .eTag: "\"v1\""], status: .notModified) }
        router.get("/stream") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain"],
                body: ResponseBody { writer in
                    for start in stride(from: 0, to: json.count, by: 10_000) {
                        try await writer.write(ByteBuffer(bytes: json[start..<min(start + 10_000, json.count)]))
                    }
                }
            )
        }
        return router
    }

    static func complete(_ bytes: [UInt8], _ fields: HTTPFields, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: fields, body: ResponseBody(buffer: ByteBuffer(bytes: bytes)))
    }

    static let acceptGzip: HTTPFields = [.acceptEncoding: "gzip, deflate, br"]

    @Test(arguments: TestMode.allCases)
    func completeJSONIsGzippedWithItsLength(mode: TestMode) async throws {
        try await withTestClient(router: Self.router(), mode: mode, configuration: testConfiguration()) { client in
            let response = try await client.execute(.get, "/json", headers: Self.acceptGzip, body: nil)
            #expect(response.status == .ok)
            #expect(response.headers[.contentEncoding] == "gzip")
            #expect(response.headers[.vary] == "Accept-Encoding")
            #expect(response.headers[.eTag] == "W/\"v1\"")
            #expect(response.body.readableBytes < Self.json.count / 4)
            if mode == .live {
                #expect(response.headers[.contentLength] == String(response.body.readableBytes))
                #expect(response.headers[.transferEncoding] == nil)
            }
            let decoded = try GzipTool.decompress(response.body.bytes)
            #expect(decoded.status == 0)
            #expect(decoded.output == Self.json)
        }
    }

    @Test(arguments: TestMode.allCases)
    func deflateIsZlibFramed(mode: TestMode) async throws {
        try await withTestClient(router: Self.router(), mode: mode, configuration: testConfiguration()) { client in
            let response = try await client.execute(.get, "/json", headers: [.acceptEncoding: "deflate"], body: nil)
            #expect(response.headers[.contentEncoding] == "deflate")
            let zlib = response.body.bytes
            #expect(Array(zlib.suffix(4)) == Framing.bigEndian(Framing.adler32(Self.json)))
            let rewrapped = Framing.gzip(rawDeflate: Framing.rawDeflate(fromZlib: zlib), plain: Self.json)
            #expect(try GzipTool.decompress(rewrapped).output == Self.json)
        }
    }

    @Test(arguments: TestMode.allCases)
    func streamedBodyIsCompressedChunkedWithoutLength(mode: TestMode) async throws {
        try await withTestClient(router: Self.router(), mode: mode, configuration: testConfiguration()) { client in
            let response = try await client.execute(.get, "/stream", headers: Self.acceptGzip, body: nil)
            #expect(response.headers[.contentEncoding] == "gzip")
            #expect(response.headers[.vary] == "Accept-Encoding")
            if mode == .live {
                #expect(response.headers[.contentLength] == nil)
                #expect(response.headers[.transferEncoding] == "chunked")
            }
            #expect(try GzipTool.decompress(response.body.bytes).output == Self.json)
        }
    }

    @Test(arguments: TestMode.allCases)
    func clientWithoutAcceptEncodingGetsPlainBodyAndVary(mode: TestMode) async throws {
        try await withTestClient(router: Self.router(), mode: mode, configuration: testConfiguration()) { client in
            let response = try await client.execute(.get, "/json")
            #expect(response.headers[.contentEncoding] == nil)
            #expect(response.headers[.vary] == "Accept-Encoding")
            #expect(response.headers[.eTag] == "\"v1\"")
            #expect(response.body.bytes == Self.json)
        }
    }

    struct SkipCase: Sendable, CustomTestStringConvertible {
        var method: HTTPRequest.Method = .get
        var path: String
        var varies: Bool
        var testDescription: String { "\(self.method) \(self.path)" }
    }

    @Test(arguments: [
        SkipCase(path: "/small", varies: true),
        SkipCase(path: "/png", varies: false),
        SkipCase(path: "/encoded", varies: false),
        SkipCase(path: "/no-transform", varies: false),
        SkipCase(path: "/noise", varies: true),
        SkipCase(path: "/no-content", varies: false),
        SkipCase(path: "/not-modified", varies: true),
        SkipCase(method: .head, path: "/json", varies: true),
    ])
    func responsesThatMustNotBeCompressedAreLeftAlone(_ skip: SkipCase) async throws {
        for mode in TestMode.allCases {
            try await withTestClient(router: Self.router(), mode: mode, configuration: testConfiguration()) { client in
                let response = try await client.execute(skip.method, skip.path, headers: Self.acceptGzip, body: nil)
                #expect(response.headers[.contentEncoding] != "gzip", "\(mode)")
                #expect((response.headers[.vary] == "Accept-Encoding") == skip.varies, "\(mode)")
                if skip.method == .head && mode == .live {
                    #expect(response.headers[.contentLength] == String(Self.json.count))
                }
            }
        }
    }

    @Test func compressionLevelIsConfigurable() async throws {
        let fast = try await withTestClient(router: Self.router { $0.level = 1 }, mode: .inProcess) { client in
            try await client.execute(.get, "/json", headers: Self.acceptGzip, body: nil).body
        }
        let best = try await withTestClient(
            router: Self.router {
                $0.level = 9; $0.memoryLevel = 9
            }, mode: .inProcess
        ) { client in
            try await client.execute(.get, "/json", headers: Self.acceptGzip, body: nil).body
        }
        #expect(best.readableBytes < fast.readableBytes)
        #expect(try GzipTool.decompress(fast.bytes).output == Self.json)
        #expect(try GzipTool.decompress(best.bytes).output == Self.json)
    }

    @Test func thresholdAndFilterAreConfigurable() async throws {
        let router = Self.router {
            $0.minimumSize = 100
            $0.contentTypes = CompressibleContentTypes { $0 == "image/png" }
        }
        try await withTestClient(router: router, mode: .inProcess) { client async throws in
            #expect(try await client.execute(.get, "/small", headers: Self.acceptGzip, body: nil).headers[.contentEncoding] == nil)
            #expect(try await client.execute(.get, "/png", headers: Self.acceptGzip, body: nil).headers[.contentEncoding] == "gzip")
        }
    }

    @Test func deflateIsChosenWhenPreferred() async throws {
        try await withTestClient(router: Self.router(), mode: .inProcess) { client in
            let response = try await client.execute(.get, "/json", headers: [.acceptEncoding: "gzip;q=0.5, deflate"], body: nil)
            #expect(response.headers[.contentEncoding] == "deflate")
        }
    }

    @Test func flushedEventsReachTheClientAtOnce() async throws {
        let (confirmations, confirm) = AsyncStream.makeStream(of: Int.self)
        let router = Router()
        router.add(middleware: ResponseCompressionMiddleware())
        router.get("/events") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/event-stream"],
                body: ResponseBody { writer in
                    var confirmed = confirmations.makeAsyncIterator()
                    for index in 0..<3 {
                        try await writer.write(ByteBuffer(string: "data: event \(index)\n\n"))
                        try await writer.flush()
                        // The next event is written only once the client has decoded this one, so an
                        // event held back by the compressor would stall the stream until the time limit.
                        guard await confirmed.next() == index else { return }
                    }
                }
            )
        }
        try await withLiveServer(responder: router.buildResponder(), configuration: testConfiguration()) { address in
            let inflater = try Inflater(format: .gzip, limit: 1 << 20)
            var text = ""
            var seen = 0
            try await StreamingHTTPClient.get(
                "/events",
                from: address,
                headers: [("Accept-Encoding", "gzip")],
                onHead: { head in
                    #expect(head.headers["Content-Encoding"] == ["gzip"])
                },
                onChunk: { chunk in
                    var chunk = chunk
                    var plain = ByteBuffer()
                    try inflater.decompress(&chunk, into: &plain)
                    text += String(buffer: plain)
                    while text.contains("data: event \(seen)\n\n") {
                        confirm.yield(seen)
                        seen += 1
                    }
                }
            )
            try inflater.finish()
            #expect(seen == 3)
            #expect(text == "data: event 0\n\ndata: event 1\n\ndata: event 2\n\n")
        }
    }
}

/// A server configuration for tests: no access log, a short shutdown.
func testConfiguration() -> ServerConfiguration {
    var configuration = ServerConfiguration()
    configuration.accessLog = false
    configuration.shutdownTimeout = .seconds(2)
    return configuration
}
