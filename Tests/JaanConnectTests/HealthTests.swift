import ArgumentParser
import Foundation
import HTTPTypes
import JaanHTTP
import JaanHTTPTesting
import JaanPool
import JaanPostgres
import JaanPostgresServer
import Logging
import NIOCore
import Testing

@testable import JaanConnect

extension ConnectTests {
    @Suite struct HealthTests {
        @Test(arguments: TestMode.allCases)
        func healthAndReadinessAnswerWhileTheDatabaseIsUp(mode: TestMode) async throws {
            try await TestApp.withClient(mode: mode) { client async throws in
                let health = try await client.execute(.get, "/health")
                #expect(health.status == .ok)
                #expect(health.bodyString == #"{"status":"ok"}"#)
                let ready = try await client.execute(.get, "/ready")
                #expect(ready.status == .ok)
                #expect(ready.bodyString.contains(#""database":"ok""#))
                #expect(ready.bodyString.contains(#""pool":{"open":"#))
                #expect(ready.headers[.init("X-Request-Id")!] != nil)
            }
        }

        @Test func readinessIs503AndHealthStill200WhenTheDatabaseIsDown() async throws {
            var configuration = PostgresClient.Configuration(connectionString: "postgresql://nobody@127.0.0.1:1/none")
            configuration.pool.minimumConnections = 0
            configuration.pool.acquireTimeout = .milliseconds(300)
            configuration.connection.connectTimeout = .milliseconds(300)
            let client = PostgresClient(configuration: configuration, logger: TestDatabase.quietLogger)
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await client.run() }
                let router = try TestApp.api(client: client).router()
                let test = InProcessTestClient(router: router, logger: TestDatabase.quietLogger)
                #expect(try await test.execute(.get, "/health").status == .ok)
                let ready = try await test.execute(.get, "/ready")
                #expect(ready.status == .serviceUnavailable)
                #expect(ready.bodyString.contains(#""database":"unreachable""#))
                let login = try await test.json(.post, "/api/v1/sessions", #"{"email":"a@example.com","password":"whatever1"}"#)
                #expect(login.status == .serviceUnavailable)
                #expect(!login.bodyString.contains("127.0.0.1"))
                group.cancelAll()
            }
        }

        @Test func metricsAreInThePrometheusTextFormat() async throws {
            let api = try TestApp.api()
            var configuration = api.serverConfiguration
            configuration.accessLog = false
            try await withLiveServer(
                responder: api.router().buildResponder(), configuration: configuration, logger: TestDatabase.quietLogger
            ) { address in
                let client = LiveTestClient(address: address)
                _ = try await client.execute(.get, "/health")
                let metrics = try await client.execute(.get, "/metrics")
                #expect(metrics.status == .ok)
                #expect(metrics.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                #expect(metrics.bodyString.contains("# TYPE jaan_db_pool_open gauge"))
                #expect(metrics.bodyString.contains(#"jaan_db_pool_maximum{worker="0"} 40"#))
            }
        }

        @Test func clusterFiguresAreRenderedPerWorker() {
            let status = ClusterStatusFixture.make()
            let text = AppMetrics.cluster(status)
            #expect(text.contains("jaan_cluster_workers 2"))
            #expect(text.contains(#"jaan_cluster_worker_resident_bytes{worker="1"} 2048"#))
            #expect(text.contains(#"jaan_cluster_worker_online{worker="0"} 1"#))
        }
    }
}
