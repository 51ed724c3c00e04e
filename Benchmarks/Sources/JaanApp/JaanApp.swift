import Foundation
import HTTPBenchmarkModel
import HTTPTypes
import JaanHTTP
import Logging
import NIOPosix
import ServiceLifecycle
import UnixSignals

/// The HTTP benchmark app on JaanHTTP, written as a Jaan user would: router closures, a `String` response for
/// text, and `JSONResponse` values, encoded per request by JaanHTTP's JSON response path.
@main
struct JaanApp {
    static func main() async throws {
        let options = ServerOptions()
        let router = Router()
        router.get("/plaintext") { _, _ in
            Payloads.plaintext
        }
        router.get("/json") { _, _ in
            JSONResponse(Payloads.message)
        }
        router.get("/users/:id") { _, context in
            guard let id = context.parameters["id"].flatMap({ User.parseID($0[...]) }) else {
                throw HTTPError(.badRequest)
            }
            return JSONResponse(User(id: id))
        }
        var logger = Logger(label: "JaanApp")
        logger.logLevel = .warning
        // EVENT_LOOPS sets the number of event-loop threads (default: NIO's shared group, one per core).
        let eventLoops = ProcessInfo.processInfo.environment["EVENT_LOOPS"].flatMap(Int.init)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(options.host, port: options.port)),
            logger: logger,
            eventLoopGroup: eventLoops.map { MultiThreadedEventLoopGroup(numberOfThreads: $0) } ?? MultiThreadedEventLoopGroup.singleton
        )
        let services = ServiceGroup(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await services.run()
    }
}
