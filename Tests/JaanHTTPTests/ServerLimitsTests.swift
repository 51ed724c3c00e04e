import HTTPTypes
import JaanHTTP
import JaanHTTPTesting
import NIOCore
import Testing

@Suite(.timeLimit(.minutes(1))) struct ServerLimitsTests {
    static func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/") { _, _ in "root" }
        router.post("/collect") { request, _ in
            let body = try await request.body.collect(upTo: .max)
            return "got \(body.readableBytes)"
        }
        return router
    }

    @Test func malformedRequestLineGets400AndClose() async throws {
        try await withLiveServer(responder: Self.router().buildResponder(), configuration: testConfiguration()) { address in
            let reply = try await RawTestConnection.withConnection(to: address) { connection, reader in
                try await connection.send("GARBAGE\r\n\r\n")
                return try await reader.readUntilClose()
            }
            #expect(reply.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
            #expect(reply.contains("connection: close"))
            #expect(reply.hasSuffix(#"{"error":{"status":400,"message":"Bad Request"}}"#))
        }
    }

    @Test func oversizedHeaderFieldsGet431() async throws {
        let configuration = testConfiguration { $0.headerLimit = 1024 }
        try await withLiveServer(responder: Self.router().buildResponder(), configuration: configuration) { address in
            let reply = try await RawTestConnection.withConnection(to: address) { connection, reader in
                try await connection.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 2000))\r\n\r\n")
                return try await reader.readUntilClose()
            }
            #expect(reply.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"))
        }
    }

    @Test func oversizedRequestTargetGets431WithoutBufferingIt() async throws {
        let configuration = testConfiguration { $0.headerLimit = 1024 }
        try await withLiveServer(responder: Self.router().buildResponder(), configuration: configuration) { address in
            let reply = try await RawTestConnection.withConnection(to: address) { connection, reader in
                // A request line that never ends: the server must refuse it once it passes the limit.
                try await connection.send("GET /\(String(repeating: "a", count: 64 * 1024))")
                return try await reader.readUntilClose()
            }
            #expect(reply.hasPrefix("HTTP/1.1 431 "))
        }
    }

    @Test func tooLargeContentLengthIsRefusedBeforeTheBodyIsSent() async throws {
        let configuration = testConfiguration { $0.bodyLimit = 1000 }
        try await withLiveServer(responder: Self.router().buildResponder(), configuration: configuration) { address in
            let reply = try await RawTestConnection.withConnection(to: address) { connection, reader in
                // Only the head is sent: the answer must come without the server waiting for the 5000 bytes.
                try await connection.send("POST /collect HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n")
                return try await reader.readUntilClose()
            }
            #expect(reply.hasPrefix("HTTP/1.1 413 Content Too Large\r\n"))
            #expect(reply.contains("connection: close"))
        }
    }

    @Test func chunkedBodyIsCutOffAtTheLimit() async throws {
        let configuration = testConfiguration { $0.bodyLimit = 1000 }
        try await withLiveServer(responder: Self.router().buildResponder(), configuration: configuration) { address in
            let reply = try await RawTestConnection.withConnection(to: address) { connection, reader in
                try await connection.send("POST /collect HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
                let chunk = String(repeating: "b", count: 600)
                try await connection.send("258\r\n\(chunk)\r\n")
                try await connection.send("258\r\n\(chunk)\r\n")
                return try await reader.readUntilClose()
            }
            #expect(reply.hasPrefix("HTTP/1.1 413 Content Too Large\r\n"))
        }
    }

    @Test func bodyWithinTheLimitIsServed() async throws {
        let configuration = testConfiguration { $0.bodyLimit = 100_000 }
        try await withTestClient(router: Self.router(), mode: .live, configuration: configuration) { client async throws in
            let response = try await client.execute(.post, "/collect", headers: [:], body: ByteBuffer(repeating: 7, count: 100_000))
            #expect(response.bodyString == "got 100000")
            let tooLarge = try await client.execute(.post, "/collect", headers: [:], body: ByteBuffer(repeating: 7, count: 100_001))
            #expect(tooLarge.status == .contentTooLarge)
        }
    }

    @Test func clientTricklingItsHeadIsAnswered408AndClosed() async throws {
        let configuration = testConfiguration {
            $0.headerReadTimeout = .milliseconds(300)
            $0.idleTimeout = .seconds(60)
        }
        try await withLiveServer(responder: Self.router().buildResponder(), configuration: configuration) { address in
            let start = ContinuousClock.now
            let reply = try await RawTestConnection.withConnection(to: address) { connection, reader in
                try await connection.send("GET / HTTP/1.1\r\nHost: x\r\n")
                return try await reader.readUntilClose()
            }
            #expect(reply.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
            #expect(ContinuousClock.now - start < .seconds(30))
        }
    }

    @Test func idleKeepAliveConnectionIsClosed() async throws {
        // Long enough that a stalled test machine still sends its request before the server gives up on it.
        let configuration = testConfiguration { $0.idleTimeout = .seconds(2) }
        try await withLiveServer(responder: Self.router().buildResponder(), configuration: configuration) { address in
            let reply = try await RawTestConnection.withConnection(to: address) { connection, reader in
                try await connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                return try await reader.readUntilClose()
            }
            // One keep-alive response, then the server closed the idle connection by itself.
            #expect(reply.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(!reply.contains("connection: close"))
            #expect(reply.hasSuffix("root"))
        }
    }

    @Test func connectionsBeyondTheCapAreClosed() async throws {
        let configuration = testConfiguration { $0.maximumConnections = 1 }
        try await withLiveServer(responder: Self.router().buildResponder(), configuration: configuration) { address in
            try await RawTestConnection.withConnection(to: address) { first, firstReader in
                try await first.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try await firstReader.read(until: "root").hasPrefix("HTTP/1.1 200 OK"))
                let refused = try await RawTestConnection.withConnection(to: address) { second, secondReader in
                    try? await second.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                    return (try? await secondReader.readUntilClose()) ?? ""
                }
                #expect(refused.isEmpty)
            }
        }
    }
}
