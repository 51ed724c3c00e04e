import Foundation
import HTTPTypes
import JaanCompression
import JaanHTTP
import JaanHTTPTesting
import NIOCore
import Testing

@Suite("Request decompression middleware", .timeLimit(.minutes(1)))
struct RequestDecompressionMiddlewareTests {
    static let json = TestData.json(size: 200_000)

    static func router(limit: Int? = nil) -> Router<BasicRequestContext> {
        var configuration = RequestDecompressionMiddleware<BasicRequestContext>.Configuration()
        if let limit { configuration.limit = limit }
        let router = Router()
        router.add(middleware: RequestDecompressionMiddleware(configuration: configuration))
        router.post("/echo") { request, _ in
            let body = try await request.body.collect(upTo: Int.max)
            let encoding = request.headers[.contentEncoding] ?? "none"
            return Response(
                status: .ok,
                headers: [.contentType: "application/octet-stream", HTTPField.Name("X-Seen-Encoding")!: encoding],
                body: ResponseBody(buffer: body)
            )
        }
        return router
    }

    static func gzip(_ bytes: [UInt8]) throws -> ByteBuffer {
        try Deflater.compress(ByteBuffer(bytes: bytes), format: .gzip, allocator: ByteBufferAllocator())
    }

    @Test(arguments: TestMode.allCases)
    func gzipBodyReachesTheHandlerPlain(mode: TestMode) async throws {
        let body = ByteBuffer(bytes: try GzipTool.compress(Self.json))
        try await withTestClient(router: Self.router(), mode: mode, configuration: testConfiguration()) { client in
            let response = try await client.execute(.post, "/echo", headers: [.contentEncoding: "gzip"], body: body)
            #expect(response.status == .ok)
            #expect(response.headers[HTTPField.Name("X-Seen-Encoding")!] == "none")
            #expect(response.body.bytes == Self.json)
        }
    }

    @Test(arguments: TestMode.allCases)
    func deflateBodyReachesTheHandlerPlain(mode: TestMode) async throws {
        let body = try Deflater.compress(ByteBuffer(bytes: Self.json), format: .zlib, allocator: ByteBufferAllocator())
        try await withTestClient(router: Self.router(), mode: mode, configuration: testConfiguration()) { client in
            let response = try await client.execute(.post, "/echo", headers: [.contentEncoding: "Deflate"], body: body)
            #expect(response.status == .ok)
            #expect(response.body.bytes == Self.json)
        }
    }

    @Test func identityBodyPassesThrough() async throws {
        try await withTestClient(router: Self.router(), mode: .inProcess) { client in
            let response = try await client.execute(.post, "/echo", headers: [.contentEncoding: "identity"], body: "plain")
            #expect(response.bodyString == "plain")
            #expect(try await client.execute(.post, "/echo", body: "plain").bodyString == "plain")
        }
    }

    @Test(arguments: TestMode.allCases, ["br", "gzip, gzip", "compress"])
    func unknownEncodingIsRefusedWith415(mode: TestMode, encoding: String) async throws {
        try await withTestClient(router: Self.router(), mode: mode, configuration: testConfiguration()) { client in
            let response = try await client.execute(.post, "/echo", headers: [.contentEncoding: encoding], body: "data")
            #expect(response.status == .unsupportedMediaType)
            #expect(response.headers[.acceptEncoding] == "gzip, deflate")
        }
    }

    @Test(arguments: TestMode.allCases)
    func corruptBodyIsRefusedWith400(mode: TestMode) async throws {
        var corrupt = try Self.gzip(Self.json).bytes
        corrupt[corrupt.count / 2] ^= 0xFF
        let body = ByteBuffer(bytes: corrupt)
        try await withTestClient(router: Self.router(), mode: mode, configuration: testConfiguration()) { client in
            let response = try await client.execute(.post, "/echo", headers: [.contentEncoding: "gzip"], body: body)
            #expect(response.status == .badRequest)
            #expect(response.bodyString.contains("corrupt"))
            #expect(!response.bodyString.contains("zlib"))
        }
    }

    @Test(arguments: TestMode.allCases)
    func truncatedBodyIsRefusedWith400(mode: TestMode) async throws {
        let truncated = Array(try Self.gzip(Self.json).bytes.dropLast(20))
        try await withTestClient(router: Self.router(), mode: mode, configuration: testConfiguration()) { client in
            let response = try await client.execute(.post, "/echo", headers: [.contentEncoding: "gzip"], body: ByteBuffer(bytes: truncated))
            #expect(response.status == .badRequest)
            #expect(response.bodyString.contains("truncated"))
        }
    }

    @Test(arguments: TestMode.allCases)
    func bodyOverTheLimitIsRefusedWith413(mode: TestMode) async throws {
        let body = try Self.gzip(Self.json)
        try await withTestClient(router: Self.router(limit: Self.json.count - 1), mode: mode, configuration: testConfiguration()) { client in
            let response = try await client.execute(.post, "/echo", headers: [.contentEncoding: "gzip"], body: body)
            #expect(response.status == .contentTooLarge)
        }
        try await withTestClient(router: Self.router(limit: Self.json.count), mode: mode, configuration: testConfiguration()) { client in
            let response = try await client.execute(.post, "/echo", headers: [.contentEncoding: "gzip"], body: body)
            #expect(response.status == .ok)
        }
    }

    @Test(arguments: TestMode.allCases)
    func bombIsRefusedWith413AtTheDefaultLimit(mode: TestMode) async throws {
        let bomb = try DecompressionBombTests.bomb.get()
        let residentBefore = try DecompressionBombTests.residentBytes()
        try await withTestClient(router: Self.router(), mode: mode, configuration: testConfiguration()) { client in
            let response = try await client.execute(.post, "/echo", headers: [.contentEncoding: "gzip"], body: bomb)
            #expect(response.status == .contentTooLarge)
        }
        // The default limit is 50 MB; inflating the whole bomb would take 1.1 GB. The margin leaves room
        // for other tests running in the same process at the same time.
        #expect(try DecompressionBombTests.residentBytes() - residentBefore < 512 * 1024 * 1024)
    }
}
