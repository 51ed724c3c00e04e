import HTTPTypes
import JaanHTTP
import JaanHTTPTesting
import Testing

/// A handler's work cancelled through its context's ``RequestCancellation``.
@Suite(.timeLimit(.minutes(1))) struct RequestCancellationTests {
    /// A route whose handler cancels its own request, then waits to be cancelled.
    private func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/cancelled") { _, context -> String in
            context.core.cancellation.cancel()
            try await Task.sleep(for: .seconds(60))
            return "never"
        }
        router.get("/fast") { _, _ in "fast" }
        return router
    }

    @Test func cancelledRequestIsAnsweredAndItsConnectionClosed() async throws {
        let begin = ContinuousClock.now
        try await withLiveServer(responder: self.makeRouter().buildResponder(), configuration: testConfiguration()) { address in
            try await RawTestConnection.withConnection(to: address) { connection, reader in
                try await connection.send("GET /cancelled HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
                let reply = try await reader.readUntilClose()
                #expect(reply.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
                #expect(reply.contains("connection: close\r\n"))
                // The pipelined second request is never served: the cancelled task cannot serve it.
                #expect(!reply.contains("fast"))
            }
        }
        #expect(ContinuousClock.now - begin < .seconds(30))
    }

    @Test func cancellingAnAnsweredRequestLeavesTheConnectionServing() async throws {
        let kept = KeptCancellation()
        let router = Router()
        router.get("/keep") { _, context in
            kept.value = context.core.cancellation
            return "kept"
        }
        router.get("/fast") { _, _ in "fast" }
        try await withLiveServer(responder: router.buildResponder(), configuration: testConfiguration()) { address in
            try await RawTestConnection.withConnection(to: address) { connection, reader in
                try await connection.send("GET /keep HTTP/1.1\r\nHost: x\r\n\r\n")
                _ = try await reader.read(until: "kept")
                kept.value?.cancel()
                try await connection.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
                let reply = try await reader.read(until: "fast")
                #expect(reply.contains("HTTP/1.1 200 OK\r\n"))
            }
        }
    }

    @Test func cancelledRequestIsAnsweredByTheInProcessClient() async throws {
        let client = InProcessTestClient(router: self.makeRouter())
        let response = try await client.execute(.get, "/cancelled")
        #expect(response.status == .serviceUnavailable)
    }

    @Test func deadlineKeptForARequestIsDroppedWhenItEnds() {
        let signal = CancellationSignal()
        signal.begin(request: 1)
        let first = RequestCancellation(signal: signal, request: 1)
        let kept = KeptDeadline()
        #expect(first.exchangeDeadline(kept) == nil)
        #expect(first.deadline === kept)
        #expect(first.exchangeDeadline(nil) === kept)
        #expect(first.exchangeDeadline(kept) == nil)
        signal.end()
        #expect(first.deadline == nil)

        // A request that is over neither reads nor sets the deadline of the one served after it.
        signal.begin(request: 2)
        let second = RequestCancellation(signal: signal, request: 2)
        #expect(first.exchangeDeadline(KeptDeadline()) == nil)
        #expect(second.deadline == nil)
        #expect(second.exchangeDeadline(kept) == nil)
        #expect(first.deadline == nil)
        #expect(second.deadline === kept)
        #expect(RequestCancellation.none.exchangeDeadline(kept) == nil)
    }
}

/// A deadline as middleware would keep it.
private final class KeptDeadline: Sendable {}

/// A request's cancellation, kept past its response.
private final class KeptCancellation: @unchecked Sendable {
    // Written by the handler before the response is sent, read by the test after it has arrived.
    var value: RequestCancellation?
}
