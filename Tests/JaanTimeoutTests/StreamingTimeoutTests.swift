import HTTPTypes
import JaanHTTP
import JaanHTTPTesting
import JaanTimeout
import MetricsTestKit
import NIOCore
import Testing

@Suite(.timeLimit(.minutes(1))) struct StreamingTimeoutTests {
    @Test func deadlineDuringStreamedBodyStopsTheWriterAndClosesTheConnection() async throws {
        let metrics = TestMetrics()
        let writerCancelled = Signal()
        let router = Router()
        var configuration = Timeout.Configuration()
        // Long enough that a loaded machine sends the head first: the deadline must strike during the body.
        configuration.timeout = .seconds(1)
        router.add(middleware: Timeout(configuration: configuration, metricsFactory: metrics))
        router.get("/events") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/event-stream"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "data: first\n\n"))
                    try await writer.flush()
                    do {
                        try await Task.sleep(for: .seconds(30))
                    } catch is CancellationError {
                        writerCancelled.fire()
                        throw CancellationError()
                    }
                    try await writer.write(ByteBuffer(string: "data: too late\n\n"))
                }
            )
        }
        try await withLiveServer(responder: router.buildResponder(), logger: quietLogger) { address in
            let received = try await RawTestConnection.withConnection(to: address) { connection, reader in
                try await connection.send("GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n")
                return try await reader.readUntilClose()
            }
            #expect(received.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(received.contains("data: first"))
            #expect(!received.contains("too late"))
            // The chunked body never got its last chunk: the client can tell it was cut off.
            #expect(!received.hasSuffix("0\r\n\r\n"))
        }
        // The writer's task is cancelled as the connection closes; wait for it rather than race it.
        await writerCancelled.wait()
        let counter = try metrics.expectCounter("jaan_http_request_timeouts_total", [("route", "/events"), ("phase", "body")])
        #expect(counter.totalValue == 1)
    }

    @Test func streamedBodyWithinTheDeadlineIsSentWhole() async throws {
        let router = Router()
        router.add(middleware: Timeout(.seconds(20)))
        router.get("/numbers") { _, context in
            Response(
                status: .ok,
                body: ResponseBody { writer in
                    for number in 0..<100 {
                        try await writer.write(ByteBuffer(string: "\(number)\n"))
                    }
                    try await writer.write(ByteBuffer(string: "remaining: \(context.deadline?.remaining != nil)"))
                }
            )
        }
        let expected = (0..<100).map { "\($0)\n" }.joined() + "remaining: true"
        try await withLiveServer(responder: router.buildResponder(), logger: quietLogger) { address in
            let response = try await LiveTestClient(address: address).execute(.get, "/numbers")
            #expect(response.status == .ok)
            #expect(response.bodyString == expected)
        }
        let inProcess = try await InProcessTestClient(router: router, logger: quietLogger).execute(.get, "/numbers")
        #expect(inProcess.bodyString == expected)
    }

    @Test func failingStreamedBodyStillFails() async throws {
        struct BodyFailure: Error {}
        let router = Router()
        router.add(middleware: Timeout(.seconds(20)))
        router.get("/broken") { _, _ in
            Response(
                status: .ok,
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "partial"))
                    throw BodyFailure()
                }
            )
        }
        await #expect(throws: BodyFailure.self) {
            try await InProcessTestClient(router: router, logger: quietLogger).execute(.get, "/broken")
        }
    }
}
