import Foundation
import HTTPTypes
import JaanHTTP
import JaanPool
import JaanPostgres
import Logging
import NIOCore

/// `/health` (the process answers), `/ready` (the database answers) and `/metrics` (Prometheus text).
struct HealthRoutes: Sendable {
    let client: PostgresClient
    let metrics: AppMetrics

    struct Health: Encodable, Sendable, ResponseEncodable {
        var status: String
    }

    struct PoolFigures: Encodable, Sendable {
        var open: Int
        var idle: Int
        var leased: Int
        var waiters: Int
        var maximum: Int

        init(_ statistics: ConnectionPoolStatistics) {
            self.open = statistics.open
            self.idle = statistics.idle
            self.leased = statistics.leased
            self.waiters = statistics.waiters
            self.maximum = statistics.maximumConnections
        }
    }

    struct Readiness: Encodable, Sendable {
        var status: String
        var database: String
        var pool: PoolFigures
    }

    func add(to router: Router<AppContext>) {
        router.get("/health") { _, _ in Health(status: "ok") }
        router.get("/ready") { _, context in
            do {
                try await client.query("SELECT 1")
                return JSONResponse(Readiness(status: "ready", database: "ok", pool: PoolFigures(client.pool.statistics)))
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                context.logger.warning("Readiness check failed", metadata: ["error": "\(error)"])
                return JSONResponse(
                    status: .serviceUnavailable,
                    Readiness(status: "unavailable", database: "unreachable", pool: PoolFigures(client.pool.statistics))
                )
            }
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(buffer: .init(bytes: metrics.render(pool: client.pool.statistics)))
            )
        }
    }
}
