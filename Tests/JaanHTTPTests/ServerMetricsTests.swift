import HTTPTypes
import JaanHTTP
import JaanHTTPTesting
import MetricsTestKit
import NIOCore
import Testing

@Suite struct ServerMetricsTests {
    @Test func requestsAreCountedAndTimedByMethodAndStatusClass() async throws {
        let metrics = TestMetrics()
        let router = Router()
        router.get("/ok") { _, _ in "ok" }
        let configuration = testConfiguration { $0.address = .hostname("127.0.0.1", port: 0) }
        try await withRunningApplication({ Application(router: router, configuration: configuration, metricsFactory: metrics, onServerRunning: $0) })
        {
            address,
            _ in
            let client = LiveTestClient(address: address)
            _ = try await client.execute(.get, "/ok")
            _ = try await client.execute(.get, "/ok")
            _ = try await client.execute(.get, "/missing")
        }
        let ok = try metrics.expectCounter("jaan_http_requests_total", [("method", "GET"), ("status", "2xx")])
        #expect(ok.totalValue == 2)
        let missing = try metrics.expectCounter("jaan_http_requests_total", [("method", "GET"), ("status", "4xx")])
        #expect(missing.totalValue == 1)
        let durations = try metrics.expectTimer("jaan_http_request_duration_seconds", [("method", "GET"), ("status", "2xx")])
        #expect(durations.values.count == 2)
    }
}
