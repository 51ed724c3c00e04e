import HTTPTypes
import JaanHTTP
import JaanHTTPTesting
import NIOCore
import Testing

@Suite(.timeLimit(.minutes(1))) struct StreamingTests {
    static func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/stream") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain"],
                body: ResponseBody { writer in
                    for part in ["one,", "two,", "three"] {
                        try await writer.write(ByteBuffer(string: part))
                    }
                })
        }
        router.get("/sized") { _, _ in
            Response(
                status: .ok,
                body: ResponseBody(contentLength: 6) { writer in
                    try await writer.write(ByteBuffer(string: "abc"))
                    try await writer.write(ByteBuffer(string: "def"))
                })
        }
        router.post("/count") { request, _ in
            var chunks = 0
            var bytes = 0
            for try await chunk in request.body {
                chunks += 1
                bytes += chunk.readableBytes
            }
            return "\(bytes) bytes in \(chunks > 1 ? "several" : "one") chunks"
        }
        router.post("/ignore") { _, _ in "ignored" }
        return router
    }

    @Test(arguments: TestMode.allCases)
    func streamedResponseArrivesWhole(mode: TestMode) async throws {
        try await withTestClient(router: Self.router(), mode: mode, configuration: testConfiguration()) { client async throws in
            #expect(try await client.execute(.get, "/stream").bodyString == "one,two,three")
            #expect(try await client.execute(.get, "/sized").bodyString == "abcdef")
        }
    }

    @Test func streamedResponseWithoutLengthIsChunked() async throws {
        try await withLiveServer(responder: Self.router().buildResponder(), configuration: testConfiguration()) { address in
            let reply = try await RawTestConnection.withConnection(to: address) { connection, reader in
                try await connection.send("GET /stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                return try await reader.readUntilClose()
            }
            #expect(reply.contains("transfer-encoding: chunked\r\n"))
            #expect(reply.hasSuffix("\r\n\r\n4\r\none,\r\n4\r\ntwo,\r\n5\r\nthree\r\n0\r\n\r\n"))
        }
    }

    @Test func streamedResponseToHTTP10IsEndedByClose() async throws {
        try await withLiveServer(responder: Self.router().buildResponder(), configuration: testConfiguration()) { address in
            let reply = try await RawTestConnection.withConnection(to: address) { connection, reader in
                try await connection.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                return try await reader.readUntilClose()
            }
            #expect(reply.contains("connection: close\r\n"))
            #expect(!reply.contains("transfer-encoding"))
            #expect(reply.hasSuffix("\r\n\r\none,two,three"))
        }
    }

    @Test func largeRequestBodyIsStreamedInChunks() async throws {
        try await withTestClient(router: Self.router(), mode: .live, configuration: testConfiguration()) { client async throws in
            let response = try await client.execute(.post, "/count", headers: [:], body: ByteBuffer(repeating: 1, count: 4 << 20))
            #expect(response.bodyString == "\(4 << 20) bytes in several chunks")
        }
    }

    @Test func unreadBodyIsDiscardedAndTheConnectionKeptAlive() async throws {
        try await withLiveServer(responder: Self.router().buildResponder(), configuration: testConfiguration()) { address in
            try await RawTestConnection.withConnection(to: address) { connection, reader in
                let body = String(repeating: "z", count: 100_000)
                try await connection.send("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
                #expect(try await reader.read(until: "ignored").hasPrefix("HTTP/1.1 200 OK"))
                try await connection.send("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                #expect(try await reader.readUntilClose().hasSuffix("ignored"))
            }
        }
    }

    @Test func middlewareCanTransformAStreamedBody() async throws {
        struct Uppercasing: ResponseBodyWriter {
            var base: any ResponseBodyWriter
            mutating func write(_ buffer: ByteBuffer) async throws {
                try await self.base.write(ByteBuffer(string: String(buffer: buffer).uppercased()))
            }
            mutating func flush() async throws { try await self.base.flush() }
            mutating func finish() async throws { try await self.base.write(ByteBuffer(string: "!")) }
        }
        struct Shout<Context: RequestContext>: Middleware {
            func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
                var response = try await next(request, context)
                response.body = response.body.withWriter { Uppercasing(base: $0) }
                return response
            }
        }
        let router = Self.router()
        router.add(middleware: Shout())
        try await withTestClient(router: router, mode: .live, configuration: testConfiguration()) { client async throws in
            #expect(try await client.execute(.get, "/stream").bodyString == "ONE,TWO,THREE!")
            #expect(try await client.execute(.get, "/n").status == .notFound)
        }
    }
}
