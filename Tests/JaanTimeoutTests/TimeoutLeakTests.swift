import HTTPTypes
import JaanHTTP
import JaanHTTPTesting
import JaanTimeout
import NIOCore
import Testing

/// Timed-out requests leave nothing running behind them.
@Suite(.timeLimit(.minutes(1))) struct TimeoutLeakTests {
    static func makeRouter(live: AtomicCounter, started: AtomicCounter) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: Timeout(.milliseconds(20)))
        router.get("/stuck") { _, _ -> String in
            started.increment()
            live.increment()
            defer { live.decrement() }
            try await waitUntilCancelled()
            throw UnexpectedCompletion()
        }
        return router
    }

    /// Sends `count` requests, `concurrency` at a time, and checks each is a 503.
    static func burst(_ client: some TestClient, count: Int, concurrency: Int) async throws {
        try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
            var sent = 0
            var answered = 0
            while sent < min(concurrency, count) {
                group.addTask { try await client.execute(.get, "/stuck").status }
                sent += 1
            }
            while let status = try await group.next() {
                #expect(status == .serviceUnavailable)
                answered += 1
                if sent < count {
                    group.addTask { try await client.execute(.get, "/stuck").status }
                    sent += 1
                }
            }
            #expect(answered == count)
        }
    }

    @Test func thousandsOfTimedOutRequestsLeaveNoHandlerRunning() async throws {
        let live = AtomicCounter()
        let started = AtomicCounter()
        let client = InProcessTestClient(router: Self.makeRouter(live: live, started: started), logger: quietLogger)
        try await Self.burst(client, count: 5_000, concurrency: 250)
        #expect(started.current == 5_000)
        #expect(live.current == 0)
    }

    @Test func timedOutRequestsOverSocketsLeaveNoHandlerRunning() async throws {
        let live = AtomicCounter()
        let started = AtomicCounter()
        let router = Self.makeRouter(live: live, started: started)
        try await withLiveServer(responder: router.buildResponder(), logger: quietLogger) { address in
            try await Self.burst(LiveTestClient(address: address), count: 1_000, concurrency: 50)
        }
        #expect(started.current == 1_000)
        #expect(live.current == 0)
    }

    @Test func timedOutRequestIsTheLastOnItsConnection() async throws {
        let router = Router()
        router.add(middleware: Timeout(.milliseconds(50)))
        router.get("/stuck") { _, _ -> String in
            try await waitUntilCancelled()
            throw UnexpectedCompletion()
        }
        router.get("/fast") { _, _ in "fast" }
        try await withLiveServer(responder: router.buildResponder(), logger: quietLogger) { address in
            try await RawTestConnection.withConnection(to: address) { connection, reader in
                try await connection.send("GET /stuck HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
                let reply = try await reader.readUntilClose()
                #expect(reply.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
                #expect(reply.contains("connection: close\r\n"))
                #expect(reply.contains("Retry-After: 5\r\n"))
                #expect(!reply.contains("fast"))
            }
        }
    }
}
