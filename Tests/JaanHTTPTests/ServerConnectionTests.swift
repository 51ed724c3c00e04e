import HTTPTypes
import JaanHTTP
import JaanHTTPTesting
import Logging
import NIOCore
import Testing

@Suite(.timeLimit(.minutes(1))) struct ServerConnectionTests {
    static func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/n/:n") { _, context in
            let n = try context.parameters.require("n", as: Int.self)
            if n == 1 { try await Task.sleep(for: .milliseconds(50)) }
            return "<\(n)>"
        }
        router.post("/echo") { request, _ in
            String(buffer: try await request.body.collect(upTo: .max))
        }
        return router
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await withLiveServer(responder: Self.router().buildResponder(), configuration: testConfiguration()) { address in
            let reply = try await RawTestConnection.withConnection(to: address) { connection, reader in
                try await connection.send(
                    "GET /n/1 HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n<2>"
                        + "GET /n/3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                )
                return try await reader.readUntilClose()
            }
            let first = try #require(reply.firstRange(of: "<1>"))
            let second = try #require(reply.firstRange(of: "<2>"))
            let third = try #require(reply.firstRange(of: "<3>"))
            #expect(first.lowerBound < second.lowerBound && second.lowerBound < third.lowerBound)
            #expect(reply.ranges(of: "HTTP/1.1 200 OK").count == 3)
        }
    }

    @Test func keepAliveServesSeveralRequestsAndConnectionCloseIsHonoured() async throws {
        try await withLiveServer(responder: Self.router().buildResponder(), configuration: testConfiguration()) { address in
            try await RawTestConnection.withConnection(to: address) { connection, reader in
                try await connection.send("GET /n/5 HTTP/1.1\r\nHost: x\r\n\r\n")
                let first = try await reader.read(until: "<5>")
                #expect(!first.contains("connection: close"))
                try await connection.send("GET /n/6 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                let second = try await reader.readUntilClose()
                #expect(second.contains("connection: close"))
                #expect(second.hasSuffix("<6>"))
            }
        }
    }

    @Test func http10RequestWithoutKeepAliveIsClosedAfterItsResponse() async throws {
        try await withLiveServer(responder: Self.router().buildResponder(), configuration: testConfiguration()) { address in
            let reply = try await RawTestConnection.withConnection(to: address) { connection, reader in
                try await connection.send("GET /n/7 HTTP/1.0\r\n\r\n")
                return try await reader.readUntilClose()
            }
            #expect(reply.hasPrefix("HTTP/1.0 200 OK\r\n"))
            #expect(reply.contains("content-length: 3\r\n"))
            #expect(reply.hasSuffix("<7>"))
        }
    }

    @Test func expectContinueGets100BeforeTheBody() async throws {
        try await withLiveServer(responder: Self.router().buildResponder(), configuration: testConfiguration()) { address in
            try await RawTestConnection.withConnection(to: address) { connection, reader in
                try await connection.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
                #expect(try await reader.read(until: "\r\n\r\n") == "HTTP/1.1 100 Continue\r\n\r\n")
                try await connection.send("hello")
                #expect(try await reader.read(until: "hello").hasPrefix("HTTP/1.1 200 OK"))
            }
        }
    }

    @Test func headResponseCarriesLengthButNoBody() async throws {
        try await withLiveServer(responder: Self.router().buildResponder(), configuration: testConfiguration()) { address in
            let reply = try await RawTestConnection.withConnection(to: address) { connection, reader in
                try await connection.send("HEAD /n/42 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                return try await reader.readUntilClose()
            }
            #expect(reply.contains("content-length: 4\r\n"))
            #expect(reply.hasSuffix("\r\n\r\n"))
        }
    }

    @Test func requestIDIsEchoedOrGenerated() async throws {
        try await withTestClient(router: Self.router(), mode: .live, configuration: testConfiguration()) { client async throws in
            let given = try await client.execute(.get, "/n/2", headers: [HTTPField.Name("X-Request-Id")!: "abc-123"], body: nil)
            #expect(given.headers[HTTPField.Name("X-Request-Id")!] == "abc-123")
            let first = try #require(try await client.execute(.get, "/n/2").headers[HTTPField.Name("X-Request-Id")!])
            let second = try #require(try await client.execute(.get, "/n/2").headers[HTTPField.Name("X-Request-Id")!])
            // A random hexadecimal prefix per connection (the client opens one per request), a dash, and the count
            // of the connection's requests.
            let (firstPrefix, firstCount) = try #require(Self.splitRequestID(first))
            let (secondPrefix, secondCount) = try #require(Self.splitRequestID(second))
            #expect(!firstPrefix.isEmpty && firstPrefix.allSatisfy(\.isHexDigit))
            #expect(firstPrefix != secondPrefix)
            #expect(firstCount == 1 && secondCount == 1)
        }
    }

    /// A generated request id's connection prefix and counter.
    private static func splitRequestID(_ id: String) -> (Substring, Int)? {
        let parts = id.split(separator: "-")
        guard parts.count == 2, let count = Int(parts[1]) else { return nil }
        return (parts[0], count)
    }

    @Test func accessLogRecordsEachResponse() async throws {
        let capture = LogCapture()
        let configuration = testConfiguration { $0.accessLog = true }
        try await withTestClient(router: Self.router(), mode: .live, configuration: configuration, logger: capture.logger) { client async throws in
            _ = try await client.execute(.get, "/n/9", headers: [HTTPField.Name("X-Request-Id")!: "log-me"], body: nil)
        }
        let entry = try #require(capture.all.first { $0.message == "Request served" })
        #expect(entry.metadata["request_id"] == "log-me")
        #expect(entry.metadata["method"] == "GET")
        #expect(entry.metadata["path"] == "/n/9")
        #expect(entry.metadata["status"] == "200")
        #expect(entry.metadata["bytes"] == "3")
        #expect(entry.metadata["duration_ms"] != nil)
    }

    @Test func clientGoingAwayCancelsTheHandler() async throws {
        let started = Signal()
        let cancelled = Signal()
        let router = Router()
        router.get("/wait") { _, _ in
            started.fire()
            do {
                try await Task.sleep(for: .seconds(30))
            } catch {
                cancelled.fire()
                throw error
            }
            return "late"
        }
        try await withLiveServer(responder: router.buildResponder(), configuration: testConfiguration()) { address in
            try await RawTestConnection.withConnection(to: address) { connection, _ in
                try await connection.send("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n")
                await started.wait()
            }
            await cancelled.wait()
        }
    }
}
